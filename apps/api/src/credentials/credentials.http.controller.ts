import { type JsonObject, MalformedCredential, type Verification } from '@app/credentials';
import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { authenticate } from '../auth/auth.guard';
import { TokenVerifier } from '../auth/token-verifier';
import { AwardCredentials } from './award-credentials';
import {
  RECORD_CREDENTIAL_FORMAT_DESCRIPTION,
  RECORD_CREDENTIAL_FORMAT_MESSAGE,
  RECORD_CREDENTIAL_FORMATS,
} from './credential-format.query';
import { CredentialVerifier } from './credential-verifier';
import { assertEdcReader } from './edc-access';
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

/** An award as an Open Badges 3.0 AchievementCredential, as JSON or a signed VC-JWT, or as an EDC. */
@ApiTags('credentials')
@Controller('awards/:awardId/credential')
export class AwardCredentialController {
  constructor(
    private readonly awards: AwardCredentials,
    private readonly tokens: TokenVerifier,
  ) {}

  @Get()
  @Public()
  @ApiQuery({
    name: 'format',
    required: false,
    enum: RECORD_CREDENTIAL_FORMATS,
    description: RECORD_CREDENTIAL_FORMAT_DESCRIPTION,
  })
  @ApiOkResponse({
    description:
      'The OB 3.0 AchievementCredential (JSON, with an embedded DataIntegrityProof, eddsa-rdfc-2022, by the ' +
      'issuer’s Ed25519 key), or with ?format=jwt the VC-JWT signed with the issuer’s ES256 key, or with ' +
      '?format=edc the European Digital Credential (ELM v3 JSON-LD; the learner or staff of the issuer only)',
  })
  async credential(
    @Param('awardId') awardId: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @Query('format') format?: string,
  ): Promise<JsonObject | string> {
    if (format !== undefined && !(RECORD_CREDENTIAL_FORMATS as readonly string[]).includes(format))
      throw malformed(`${RECORD_CREDENTIAL_FORMAT_MESSAGE} (got "${format}")`);
    if (format === 'edc') {
      const actor = await authenticate(request, this.tokens);
      const edc = await this.awards.edc(awardId);
      assertEdcReader(actor, edc);
      response.type('application/ld+json');
      return edc.credential;
    }
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
