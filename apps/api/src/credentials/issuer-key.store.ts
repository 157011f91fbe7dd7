import { type CommandContext, deriveId, domainMetadata, StreamCommands } from '@app/application';
import type { TesseraConfig } from '@app/config';
import {
  issuerProfileId,
  type JsonObject,
  KeyDecryptionFailed,
  KeyEncryption,
  type KnownKey,
  SIGNING_ALG,
  signCredentialJwt,
} from '@app/credentials';
import {
  type Actor,
  currentKey,
  decideIssuer,
  DomainError,
  type Issuer,
  issuerDecider,
  type IssuerEvent,
  type IssuerKey,
  type IssuerKeyRotated,
  issuerStream,
} from '@app/domain';
import type { GlobalPosition, SqlClient } from '@app/event-store';
import { ServiceUnavailableException } from '@nestjs/common';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK, type KeyLike } from 'jose';

/**
 * The key material, by kid. Which key signs when is not here: the issuer's `IssuerKeyRotated` events say it (see
 * IssuerKeyStore). The columns `valid_from`/`valid_until` and the one-current-key index of the first version are
 * dropped: keeping a second copy of the windows would let the table and the events disagree.
 */
/**
 * A public key as served in the JWKS. `nbf` and `exp` (NumericDate, a Tessera extension member) bound when the key
 * may sign: a credential whose `iat` falls outside them was not signed by the issuer with this key.
 */
export type PublicJwk = JWK & { kid: string; alg: string; use: 'sig'; nbf: number; exp?: number };

type KeyRow = { issuer_id: string; kid: string; public_jwk: JWK; private_jwk_encrypted: string; created_at: Date };

/** Who records a first key made on a read (issuers registered before keys were made at registration). */
const KEY_SERVICE: Actor = { sub: 'tessera:issuer-keys', roles: ['admin'], issuers: [] };

/**
 * The secret issuers' private keys are encrypted under: `TESSERA_KEY_ENCRYPTION_KEY`; on the embedded default without
 * it, one derived from the development JWT secret kept in the data folder; with a database server and no key, none
 * (signing answers 503).
 */
export function keyEncryptionSecret(config: TesseraConfig): string | undefined {
  if (config.keyEncryptionKey) return config.keyEncryptionKey;
  return config.storage.database.kind === 'pglite' ? `tessera-dev-kek:${config.jwtSecret}` : undefined;
}

const unavailable = (detail: string) =>
  new ServiceUnavailableException({
    type: 'urn:tessera:problem:signing-unavailable',
    title: 'Signing unavailable',
    message: detail,
  });

/** A key's IssuerKeyRotated, and the global position it was appended at. */
export interface Recorded {
  readonly event: IssuerKeyRotated;
  readonly position: GlobalPosition;
}

/** The key an event records, as the issuer's state holds it just after (in force, its window open). */
const keyOf = ({ event: { data } }: Recorded): IssuerKey => ({
  keyId: data.keyId,
  publicJwk: data.publicJwk,
  validFrom: data.rotatedAt,
});

/** A recorded public JWK (the decider refuses one without `kty`). */
const asJwk = (publicJwk: IssuerKey['publicJwk']): JWK => ({ kty: publicJwk.kty, ...publicJwk });

const seconds = (iso: string, round: (value: number) => number) => round(new Date(iso).getTime() / 1000);

/**
 * Issuers' ES256 signing keys. The private JWK is kept encrypted (AES-256-GCM) in `tessera_issuer_keys` by kid
 * (`{publicUrl}/issuers/{issuerId}#{JWK thumbprint}`, fixed at creation); the issuer's stream records each key with
 * `IssuerKeyRotated`, and that is the only source of which key is current and of every key's window. A key row is
 * written before its event, so an event never names missing material; a row no event names (its command failed or
 * lost a race) is deleted, and never published or trusted.
 */
export class IssuerKeyStore {
  private readonly encryption?: KeyEncryption;
  /** Opened private keys by kid: a kid's material never changes. */
  private readonly opened = new Map<string, Promise<KeyLike>>();

  constructor(
    private readonly sql: SqlClient,
    private readonly streams: StreamCommands,
    private readonly publicUrl: string,
    secret: string | undefined,
  ) {
    this.encryption = secret === undefined ? undefined : new KeyEncryption(secret);
  }

  /** A credential as a VC-JWT signed with the issuer's current key (see `signingKey`). */
  async sign(issuerId: string, credential: JsonObject): Promise<string> {
    const { kid, key } = await this.signingKey(issuerId);
    return signCredentialJwt(credential, key, kid);
  }

  /**
   * The issuer's current private key, as its latest `IssuerKeyRotated` names it. An issuer registered before keys
   * were made at registration gets its first key now. 503 when keys cannot be made or opened.
   */
  async signingKey(issuerId: string): Promise<{ kid: string; key: KeyLike }> {
    const encryption = this.requireEncryption();
    const current =
      currentKey(await this.issuer(issuerId)) ?? (await this.ensureFirstKey(issuerId, this.serviceContext(issuerId)));
    if (!current) throw new Error(`issuer ${issuerId} has no signing key after making one`);
    let opening = this.opened.get(current.keyId);
    if (!opening) {
      opening = this.open(encryption, current.keyId);
      this.opened.set(current.keyId, opening);
      opening.catch(() => this.opened.delete(current.keyId));
    }
    return { kid: current.keyId, key: await opening };
  }

  /**
   * The issuer's first key, recorded once whoever asks first (registration, or a first signing): a key made before
   * keys were recorded is recorded from when it was made; else a new one is made — unless there is no key-encryption
   * key, when the issuer stays without a key (undefined) until signing is configured.
   */
  async ensureFirstKey(issuerId: string, context: CommandContext): Promise<IssuerKey | undefined> {
    const recorded = currentKey(await this.issuer(issuerId));
    if (recorded) return recorded;
    const first = { ...context, commandId: deriveId('issuer-first-key', issuerId) };
    const [earlier] = await this.sql.query<KeyRow>(
      'SELECT * FROM tessera_issuer_keys WHERE issuer_id = $1 ORDER BY created_at, kid LIMIT 1',
      [issuerId],
    );
    if (earlier) {
      // From when it was made; a row made after this command's instant (a concurrent first signer's, or the database's
      // clock ahead) from now: the twin command, by the same id, records the same key either way.
      const madeAt = new Date(earlier.created_at);
      const validFrom = madeAt < new Date(first.now) ? madeAt.toISOString() : undefined;
      return keyOf(await this.record(issuerId, earlier.kid, earlier.public_jwk, first, validFrom));
    }
    if (!this.encryption) return undefined;
    return keyOf(await this.makeAndRecord(issuerId, first));
  }

  /** A new key for the issuer, in force from the command's instant; the previous key's window closes then. */
  async rotate(issuerId: string, context: CommandContext): Promise<Recorded> {
    this.requireEncryption();
    const issuer = await this.streams.load<Issuer, IssuerEvent>(issuerStream(issuerId), issuerDecider);
    if (issuer.status !== 'registered') throw new DomainError('unknown-issuer', `No issuer ${issuerId} is registered`);
    // A key made before keys were recorded is recorded first, so that what it signed stays verifiable.
    if (issuer.keys.length === 0) await this.ensureFirstKey(issuerId, context);
    return this.makeAndRecord(issuerId, context);
  }

  /** Every recorded key of every issuer with its window, for /.well-known/jwks.json; a compromised key is not published. */
  async publicKeys(): Promise<PublicJwk[]> {
    const issuers = await this.sql.query<{ issuer_id: string }>(
      'SELECT DISTINCT issuer_id FROM tessera_issuer_keys ORDER BY issuer_id',
    );
    const keys: PublicJwk[] = [];
    for (const { issuer_id: issuerId } of issuers)
      for (const key of await this.publishedKeysOf(issuerId)) keys.push(this.publicJwk(key));
    return keys;
  }

  /** A key by id, with its issuer and window, for verification; undefined unless the issuer's events record it. */
  async find(kid: string): Promise<KnownKey | undefined> {
    const [row] = await this.sql.query<{ issuer_id: string }>(
      'SELECT issuer_id FROM tessera_issuer_keys WHERE kid = $1',
      [kid],
    );
    if (!row) return undefined;
    const key = (await this.keysOf(row.issuer_id)).find((candidate) => candidate.keyId === kid);
    return (
      key && {
        kid,
        issuerId: row.issuer_id,
        issuerProfileId: issuerProfileId(this.publicUrl, row.issuer_id),
        publicJwk: asJwk(key.publicJwk),
        validFrom: new Date(key.validFrom),
        ...(key.validUntil === undefined ? {} : { validUntil: new Date(key.validUntil) }),
        ...(key.compromisedSince === undefined ? {} : { compromisedSince: new Date(key.compromisedSince) }),
      }
    );
  }

  /** A recorded key as a JWK: its public members, `kid`, `alg`, `use`. */
  jwk(key: IssuerKey): JWK & { kid: string } {
    return { ...asJwk(key.publicJwk), kid: key.keyId, alg: SIGNING_ALG, use: 'sig' };
  }

  /** A recorded key as the JWKS serves it, with its window as `nbf`/`exp`. */
  private publicJwk(key: IssuerKey): PublicJwk {
    return {
      ...this.jwk(key),
      alg: SIGNING_ALG,
      use: 'sig',
      nbf: seconds(key.validFrom, Math.floor),
      ...(key.validUntil === undefined ? {} : { exp: seconds(key.validUntil, Math.ceil) }),
    };
  }

  /** The keys the issuer's events record, oldest first; a key made before keys were recorded is recorded on this first read. */
  async keysOf(issuerId: string): Promise<IssuerKey[]> {
    const issuer = await this.streams.load<Issuer, IssuerEvent>(issuerStream(issuerId), issuerDecider);
    if (issuer.status !== 'registered') return [];
    if (issuer.keys.length > 0) return issuer.keys;
    const first = await this.ensureFirstKey(issuerId, this.serviceContext(issuerId));
    return first ? [first] : [];
  }

  /** The issuer's keys a verifier may use: every recorded key but those reported compromised. */
  async publishedKeysOf(issuerId: string): Promise<IssuerKey[]> {
    return (await this.keysOf(issuerId)).filter((key) => key.compromisedSince === undefined);
  }

  private async issuer(issuerId: string): Promise<Issuer & { status: 'registered' }> {
    const issuer = await this.streams.load<Issuer, IssuerEvent>(issuerStream(issuerId), issuerDecider);
    if (issuer.status !== 'registered') throw new Error(`no issuer ${issuerId} is registered`);
    return issuer;
  }

  /** Makes a key pair, stores it encrypted by kid, then records it; the row is deleted if the event names another. */
  private async makeAndRecord(issuerId: string, context: CommandContext): Promise<Recorded> {
    const encryption = this.requireEncryption();
    const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = `${issuerProfileId(this.publicUrl, issuerId)}#${await calculateJwkThumbprint(publicJwk)}`;
    await this.sql.query(
      `INSERT INTO tessera_issuer_keys (issuer_id, kid, public_jwk, private_jwk_encrypted) VALUES ($1, $2, $3, $4)`,
      [issuerId, kid, JSON.stringify(publicJwk), encryption.encrypt(JSON.stringify(await exportJWK(privateKey)), kid)],
    );
    let recorded: Recorded | undefined;
    try {
      recorded = await this.record(issuerId, kid, publicJwk, context);
      return recorded;
    } finally {
      // The command failed, or had already run with another key: that key stands, this one was never in force.
      if (recorded?.event.data.keyId !== kid)
        await this.sql.query('DELETE FROM tessera_issuer_keys WHERE kid = $1', [kid]);
    }
  }

  /** Records `keyId` as the issuer's current key through the issuer decider (idempotent by the command id). */
  private async record(
    issuerId: string,
    keyId: string,
    publicJwk: JWK,
    context: CommandContext,
    validFrom?: string,
  ): Promise<Recorded> {
    const outcome = await this.streams.execute<Issuer, IssuerEvent>(
      issuerStream(issuerId),
      issuerDecider,
      context,
      (issuer) =>
        decideIssuer(
          {
            type: 'RotateIssuerKey',
            data: { issuerId, keyId, publicJwk: { ...publicJwk }, ...(validFrom === undefined ? {} : { validFrom }) },
            metadata: domainMetadata(context),
          },
          issuer,
        ),
    );
    const [event] = outcome.events;
    if (event?.type !== 'IssuerKeyRotated') throw new Error(`recording key ${keyId} gave no IssuerKeyRotated`);
    return { event, position: outcome.position };
  }

  private async open(encryption: KeyEncryption, kid: string): Promise<KeyLike> {
    const [row] = await this.sql.query<KeyRow>('SELECT * FROM tessera_issuer_keys WHERE kid = $1', [kid]);
    // The events name a key whose material is gone: say so loudly rather than sign with anything else.
    if (!row) throw new Error(`the key ${kid} recorded in the issuer's events is missing from tessera_issuer_keys`);
    try {
      const jwk = JSON.parse(encryption.decrypt(row.private_jwk_encrypted, row.kid)) as JWK;
      return (await importJWK(jwk, SIGNING_ALG)) as KeyLike;
    } catch (error) {
      if (error instanceof KeyDecryptionFailed) throw unavailable(error.message);
      throw error;
    }
  }

  private requireEncryption(): KeyEncryption {
    if (!this.encryption)
      throw unavailable(
        'no key-encryption key: set TESSERA_KEY_ENCRYPTION_KEY to sign credentials when DATABASE_URL is set',
      );
    return this.encryption;
  }

  private serviceContext(issuerId: string): CommandContext {
    const commandId = deriveId('issuer-first-key', issuerId);
    return { commandId, correlationId: commandId, actor: KEY_SERVICE, now: new Date().toISOString() };
  }
}
