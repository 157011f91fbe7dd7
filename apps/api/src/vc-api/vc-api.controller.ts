import { MalformedCredential } from '@app/credentials';
import { BadRequestException, Body, Controller, Header, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../auth/actor';
import { CurrentActor, Public, Roles } from '../auth/auth.decorators';
import { CredentialIssuance } from './credential-issuance';
import { VcApiVerification } from './vc-api-verification';

export const malformedCredential = (error: MalformedCredential) =>
  new BadRequestException({
    type: 'urn:tessera:problem:malformed-credential',
    title: 'Invalid input',
    message: error.message,
  });

/** The W3C CCG VC-API's issue and presentation-verify routes (credential verify is `POST /credentials/verify`). */
@ApiTags('vc-api')
@Controller()
export class VcApiController {
  constructor(
    private readonly issuance: CredentialIssuance,
    private readonly verification: VcApiVerification,
  ) {}

  @Post('credentials/issue')
  @Roles('issuer-admin')
  @ApiBearerAuth()
  @Header('Cache-Control', 'no-store')
  @ApiCreatedResponse({
    description:
      'VC-API issue: { credential, options } where credential.id names an award of the ledger ' +
      '(<public URL>/awards/<awardId>/credential) → 201 { verifiableCredential: "<the award’s VC-JWT>" } ' +
      '(the ledger’s credential, whatever else the body says); an issuer-admin of the award’s issuer only; anything ' +
      'else is a 422 problem (not-a-ledger-award)',
  })
  issue(@Body() body: unknown, @CurrentActor() actor: Actor) {
    return this.issuance.issue(actor, body);
  }

  @Post('presentations/verify')
  @Public()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({
    description:
      'VC-API verify presentation: { verifiablePresentation, options } → { verified, checks, warnings, errors, ' +
      'credentialResults } (each held credential verified as by /credentials/verify; the holder’s proof is not ' +
      'checked: a warning); 200 when every credential verifies, else 400 with the same body',
  })
  async verifyPresentation(@Body() body: unknown, @Res({ passthrough: true }) response: Response) {
    try {
      const result = await this.verification.verifyPresentation(body);
      if (!result.verified) response.status(400);
      return result;
    } catch (error) {
      if (error instanceof MalformedCredential) throw malformedCredential(error);
      throw error;
    }
  }
}
