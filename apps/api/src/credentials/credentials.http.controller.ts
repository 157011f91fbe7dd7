import { type JsonObject, MalformedCredential, type Verification } from '@app/credentials';
import { BadRequestException, Body, Controller, Get, Header, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { AwardCredentials } from './award-credentials';
import { CredentialVerifier } from './credential-verifier';
import { IssuerKeyStore, type PublicJwk } from './issuer-key.store';
import {
  isVcApiVerifyRequest,
  vcApiResult,
  type VcApiVerificationResult,
  vcApiVerifyInput,
} from '../vc-api/vc-api-verification';

const malformed = (detail: string) =>
  new BadRequestException({
    type: 'urn:tessera:problem:malformed-credential',
    title: 'Invalid input',
    message: detail,
  });

/** Issuers' public keys. */
@ApiTags('credentials')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: IssuerKeyStore) {}

  @Get('jwks.json')
  @Public()
  @ApiOkResponse({
    description:
      '{ keys: [JWK with kid, alg, use, nbf, exp?] } — every issuer’s public signing keys, current and rotated out (not those reported compromised), ' +
      'each with the window it may sign in (NumericDate)',
  })
  async jwks(): Promise<{ keys: PublicJwk[] }> {
    return { keys: await this.keys.publicKeys() };
  }
}

/** An award as an Open Badges 3.0 AchievementCredential, as JSON or as a signed VC-JWT. */
@ApiTags('credentials')
@Controller('awards/:awardId/credential')
export class AwardCredentialController {
  constructor(private readonly awards: AwardCredentials) {}

  @Get()
  @Public()
  @ApiOkResponse({
    description:
      'The OB 3.0 AchievementCredential (JSON, unsigned), or with ?format=jwt the VC-JWT signed with the issuer key',
  })
  async credential(
    @Param('awardId') awardId: string,
    @Res({ passthrough: true }) response: Response,
    @Query('format') format?: string,
  ): Promise<JsonObject | string> {
    if (format !== undefined && format !== 'json' && format !== 'jwt')
      throw malformed(`format must be "json" or "jwt" (got "${format}")`);
    if (format !== 'jwt') return (await this.awards.build(awardId)).credential;
    const jwt = await this.awards.signed(awardId);
    response.type('application/vc+jwt');
    return jwt;
  }
}

/** Verifying a credential: a compact VC-JWT, or a JSON credential (which carries no proof Tessera can check). */
@ApiTags('credentials')
@Controller('credentials/verify')
export class CredentialVerifyController {
  constructor(private readonly verifier: CredentialVerifier) {}

  @Post()
  @Public()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({
    description:
      'Body { jwt } (compact VC-JWT) or { credential } (JSON) → { verified, checks: [{ name: signature | key | ' +
      'ledger | ledger-key (for JWTs of this instance’s keys) | ' +
      'issuer | dates | status, ok, reason? }] }; or the VC-API shape { verifiableCredential (JSON, VC-JWT or ' +
      'EnvelopedVerifiableCredential), options } → { verified, checks: [names that passed], warnings, errors: ' +
      '[{ type, title, detail }] }, 400 when it does not verify; malformed input is a 400 problem',
  })
  async verify(
    @Body() body: unknown,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Verification | VcApiVerificationResult> {
    try {
      if (!isVcApiVerifyRequest(body)) return await this.verifier.verify(body);
      const result = vcApiResult(await this.verifier.verify(vcApiVerifyInput(body.verifiableCredential)));
      if (!result.verified) response.status(400);
      return result;
    } catch (error) {
      if (error instanceof MalformedCredential) throw malformed(error.message);
      throw error;
    }
  }
}
