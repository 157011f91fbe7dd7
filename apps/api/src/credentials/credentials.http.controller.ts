import { type JsonObject, MalformedCredential, type Verification } from '@app/credentials';
import { BadRequestException, Body, Controller, Get, Header, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { AwardCredentials } from './award-credentials';
import { CredentialVerifier } from './credential-verifier';
import { IssuerKeyStore, type PublicJwk } from './issuer-key.store';

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
      'The OB 3.0 AchievementCredential (JSON, with an embedded DataIntegrityProof, eddsa-rdfc-2022, by the ' +
      'issuer’s Ed25519 key), or with ?format=jwt the VC-JWT signed with the issuer’s ES256 key',
  })
  async credential(
    @Param('awardId') awardId: string,
    @Res({ passthrough: true }) response: Response,
    @Query('format') format?: string,
  ): Promise<JsonObject | string> {
    if (format !== undefined && format !== 'json' && format !== 'jwt')
      throw malformed(`format must be "json" or "jwt" (got "${format}")`);
    if (format !== 'jwt') return this.awards.json(awardId);
    const jwt = await this.awards.signed(awardId);
    response.type('application/vc+jwt');
    return jwt;
  }
}

/** Verifying a credential: a compact VC-JWT, or a JSON credential with an embedded Data Integrity proof. */
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
      'Body { jwt } (compact VC-JWT) or { credential } (JSON with an eddsa-rdfc-2022 DataIntegrityProof) → ' +
      '{ verified, checks: [{ name: signature | key | ledger | ledger-key (for this instance’s keys) | ' +
      'issuer | dates | status, ok, reason? }] }; malformed input is a 400 problem',
  })
  async verify(@Body() body: unknown): Promise<Verification> {
    try {
      return await this.verifier.verify(body);
    } catch (error) {
      if (error instanceof MalformedCredential) throw malformed(error.message);
      throw error;
    }
  }
}
