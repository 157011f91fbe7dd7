import type { JsonObject } from '@app/credentials';
import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { authenticate } from '../auth/auth.guard';
import { TokenVerifier } from '../auth/token-verifier';
import { RecordCredentialFormatQuery } from './credential-format.query';
import { assertEdcReader } from './edc-access';
import { IssuerKeyStore } from './issuer-key.store';
import { QualificationCredentials } from './qualification-credentials';

/** A qualification conferred by a pathway as an Open Badges 3.0 AchievementCredential, as JSON or a signed VC-JWT. */
@ApiTags('credentials')
@Controller('qualifications/:qualificationId/credential')
export class QualificationCredentialController {
  constructor(
    private readonly qualifications: QualificationCredentials,
    private readonly keys: IssuerKeyStore,
    private readonly tokens: TokenVerifier,
  ) {}

  @Get()
  @Public()
  @ApiOkResponse({
    description:
      'The OB 3.0 AchievementCredential of a qualification (achievementType of the pathway award; JSON with an ' +
      'embedded eddsa-rdfc-2022 DataIntegrityProof by the pathway issuer’s Ed25519 key), ' +
      'or with ?format=jwt the VC-JWT signed with the pathway issuer’s key, or with ?format=edc the European Digital ' +
      'Credential (ELM v3 JSON-LD; the learner or staff of the issuer only)',
  })
  async credential(
    @Param('qualificationId') qualificationId: string,
    @Query() query: RecordCredentialFormatQuery,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<JsonObject | string> {
    if (query.format === 'edc') {
      const actor = await authenticate(request, this.tokens);
      const { credential, entry } = await this.qualifications.edc(qualificationId);
      assertEdcReader(actor, entry);
      response.type('application/ld+json');
      return credential;
    }
    const { credential, entry } = await this.qualifications.build(qualificationId);
    if (query.format !== 'jwt') return this.keys.signDataIntegrity(entry.issuerId, credential);
    response.type('application/vc+jwt');
    return this.keys.sign(entry.issuerId, credential);
  }
}
