import type { JsonObject } from '@app/credentials';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { CredentialFormatQuery } from './credential-format.query';
import { IssuerKeyStore } from './issuer-key.store';
import { QualificationCredentials } from './qualification-credentials';

/** A qualification conferred by a pathway as an Open Badges 3.0 AchievementCredential, as JSON or a signed VC-JWT. */
@ApiTags('credentials')
@Controller('qualifications/:qualificationId/credential')
export class QualificationCredentialController {
  constructor(
    private readonly qualifications: QualificationCredentials,
    private readonly keys: IssuerKeyStore,
  ) {}

  @Get()
  @Public()
  @ApiOkResponse({
    description:
      'The OB 3.0 AchievementCredential of a qualification (achievementType of the pathway award; JSON with an ' +
      'embedded eddsa-rdfc-2022 DataIntegrityProof by the pathway issuer’s Ed25519 key), ' +
      'or with ?format=jwt the VC-JWT signed with the pathway issuer’s key',
  })
  async credential(
    @Param('qualificationId') qualificationId: string,
    @Query() query: CredentialFormatQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<JsonObject | string> {
    const { credential, entry } = await this.qualifications.build(qualificationId);
    if (query.format !== 'jwt') return this.keys.signDataIntegrity(entry.issuerId, credential);
    response.type('application/vc+jwt');
    return this.keys.sign(entry.issuerId, credential);
  }
}
