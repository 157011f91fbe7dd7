import { StreamCommands } from '@app/application';
import type { TesseraConfig } from '@app/config';
import {
  checkCredentialStatus,
  issuerProfileId,
  type JsonObject,
  MalformedCredential,
  type Verification,
  verifyCredentialJson,
  verifyCredentialJwt,
} from '@app/credentials';
import { type Issuer, issuerDecider, type IssuerEvent, issuerStream } from '@app/domain';
import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import type { Response } from 'express';
import { decodeJwt } from 'jose';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { TESSERA_CONFIG } from '../storage.tokens';
import { IssuerKeyStore, type PublicJwk } from './issuer-key.store';
import { AwardCredentials } from './award-credentials';
import { StatusLists } from './status-lists';

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
      '{ keys: [JWK with kid, alg, use, nbf, exp?] } — every issuer’s public signing keys, current and rotated out, ' +
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
  constructor(
    private readonly keys: IssuerKeyStore,
    private readonly streams: StreamCommands,
    private readonly statusLists: StatusLists,
    @Inject(TESSERA_CONFIG) private readonly config: TesseraConfig,
  ) {}

  @Post()
  @Public()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({
    description:
      'Body { jwt } (compact VC-JWT) or { credential } (JSON) → { verified, checks: [{ name: signature | key | ' +
      'issuer | dates | status, ok, reason? }] }; malformed input is a 400 problem',
  })
  async verify(@Body() body: unknown): Promise<Verification> {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw malformed('the body must be { "jwt": "<compact VC-JWT>" } or { "credential": { … } }');
    const { jwt, credential } = body as { jwt?: unknown; credential?: unknown };
    try {
      if (jwt !== undefined && credential === undefined) {
        if (typeof jwt !== 'string' || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(jwt))
          throw new MalformedCredential('jwt must be a compact JWS: three base64url parts separated by dots');
        return this.withStatus(await verifyCredentialJwt(jwt, (kid) => this.keys.find(kid)), credentialOfJwt(jwt));
      }
      if (credential !== undefined && jwt === undefined) {
        if (typeof credential === 'string' && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(credential))
          return this.withStatus(
            await verifyCredentialJwt(credential, (kid) => this.keys.find(kid)),
            credentialOfJwt(credential),
          );
        if (typeof credential !== 'object' || credential === null || Array.isArray(credential))
          throw new MalformedCredential('credential must be a JSON object (or send { "jwt": "…" })');
        return this.withStatus(
          await verifyCredentialJson(credential as JsonObject, (issuer) => this.knownIssuer(issuer)),
          credential as JsonObject,
        );
      }
      throw new MalformedCredential('send exactly one of "jwt" (a compact VC-JWT) or "credential" (a JSON credential)');
    } catch (error) {
      if (error instanceof MalformedCredential) throw malformed(error.message);
      throw error;
    }
  }

  /** Adds the status check, run on the credential's own credentialStatus as an outside verifier would. */
  private async withStatus(verification: Verification, credential: JsonObject | undefined): Promise<Verification> {
    const status = credential
      ? await checkCredentialStatus(credential, (url) => this.statusLists.fetchVerified(url))
      : { name: 'status' as const, ok: false, reason: 'not checked: the JWT payload holds no credential ("vc" claim)' };
    const checks = [...verification.checks, status];
    return { verified: checks.every((check) => check.ok), checks };
  }

  private async knownIssuer(profileId: string): Promise<boolean> {
    const prefix = issuerProfileId(this.config.publicUrl, '');
    if (!profileId.startsWith(prefix)) return false;
    const issuerId = decodeURIComponent(profileId.slice(prefix.length));
    if (issuerId === '' || issuerId.includes('/')) return false;
    try {
      const issuer = await this.streams.load<Issuer, IssuerEvent>(issuerStream(issuerId), issuerDecider);
      return issuer.status === 'registered';
    } catch {
      return false; // not a valid issuer id
    }
  }
}

/** The credential a VC-JWT carries (its `vc` claim), or undefined when the payload does not decode to one. */
function credentialOfJwt(jwt: string): JsonObject | undefined {
  try {
    const { vc } = decodeJwt(jwt);
    return typeof vc === 'object' && vc !== null && !Array.isArray(vc) ? (vc as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}
