import type { TesseraConfig } from '@app/config';
import { issuerProfileId, KeyDecryptionFailed, KeyEncryption, type KnownKey, SIGNING_ALG } from '@app/credentials';
import type { SqlClient } from '@app/event-store';
import { ServiceUnavailableException } from '@nestjs/common';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK, type KeyLike } from 'jose';

export const ISSUER_KEYS_MIGRATION = `CREATE TABLE IF NOT EXISTS tessera_issuer_keys (
  issuer_id text NOT NULL,
  kid text PRIMARY KEY,
  public_jwk jsonb NOT NULL,
  private_jwk_encrypted text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  valid_from timestamptz NOT NULL,
  valid_until timestamptz
);
CREATE UNIQUE INDEX IF NOT EXISTS tessera_issuer_keys_current ON tessera_issuer_keys (issuer_id) WHERE valid_until IS NULL`;

/** A public key as served in the JWKS. */
export type PublicJwk = JWK & { kid: string; alg: string; use: 'sig' };

type KeyRow = {
  issuer_id: string;
  kid: string;
  public_jwk: JWK;
  private_jwk_encrypted: string;
  valid_from: Date;
  valid_until: Date | null;
};

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

/**
 * Issuers' ES256 signing keys, one current key per issuer made on first need; private JWKs are kept encrypted
 * (AES-256-GCM). `kid` is `{publicUrl}/issuers/{issuerId}#{JWK thumbprint}` at creation, and never changes.
 */
export class IssuerKeyStore {
  private readonly encryption?: KeyEncryption;
  private readonly signing = new Map<string, Promise<{ kid: string; key: KeyLike }>>();

  constructor(
    private readonly sql: SqlClient,
    private readonly publicUrl: string,
    secret: string | undefined,
  ) {
    this.encryption = secret === undefined ? undefined : new KeyEncryption(secret);
  }

  /** The issuer's current private key, made now when it has none. 503 when keys cannot be made or opened. */
  async signingKey(issuerId: string): Promise<{ kid: string; key: KeyLike }> {
    let found = this.signing.get(issuerId);
    if (!found) {
      found = this.openSigningKey(issuerId);
      this.signing.set(issuerId, found);
      found.catch(() => this.signing.delete(issuerId));
    }
    return found;
  }

  private async openSigningKey(issuerId: string): Promise<{ kid: string; key: KeyLike }> {
    const encryption = this.encryption;
    if (!encryption)
      throw unavailable(
        'no key-encryption key: set TESSERA_KEY_ENCRYPTION_KEY to sign credentials when DATABASE_URL is set',
      );
    let row = await this.current(issuerId);
    if (!row) {
      const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
      const publicJwk = await exportJWK(publicKey);
      const kid = `${issuerProfileId(this.publicUrl, issuerId)}#${await calculateJwkThumbprint(publicJwk)}`;
      const privateJwk = JSON.stringify(await exportJWK(privateKey));
      await this.sql.query(
        `INSERT INTO tessera_issuer_keys (issuer_id, kid, public_jwk, private_jwk_encrypted, valid_from)
         VALUES ($1, $2, $3, $4, now()) ON CONFLICT DO NOTHING`,
        [issuerId, kid, JSON.stringify(publicJwk), encryption.encrypt(privateJwk, kid)],
      );
      row = await this.current(issuerId); // a concurrent first signer may have won: use its key
      if (!row) throw new Error(`no current key for issuer ${issuerId} after creating one`);
    }
    try {
      const jwk = JSON.parse(encryption.decrypt(row.private_jwk_encrypted, row.kid)) as JWK;
      return { kid: row.kid, key: (await importJWK(jwk, SIGNING_ALG)) as KeyLike };
    } catch (error) {
      if (error instanceof KeyDecryptionFailed) throw unavailable(error.message);
      throw error;
    }
  }

  private async current(issuerId: string): Promise<KeyRow | undefined> {
    const [row] = await this.sql.query<KeyRow>(
      'SELECT * FROM tessera_issuer_keys WHERE issuer_id = $1 AND valid_until IS NULL',
      [issuerId],
    );
    return row;
  }

  /** Every issuer's public keys, for /.well-known/jwks.json. */
  async publicKeys(): Promise<PublicJwk[]> {
    const rows = await this.sql.query<KeyRow>('SELECT * FROM tessera_issuer_keys ORDER BY issuer_id, created_at, kid');
    return rows.map((row) => ({ ...row.public_jwk, kid: row.kid, alg: SIGNING_ALG, use: 'sig' }));
  }

  /** A key by id, for verification. */
  async find(kid: string): Promise<KnownKey | undefined> {
    const [row] = await this.sql.query<KeyRow>('SELECT * FROM tessera_issuer_keys WHERE kid = $1', [kid]);
    return (
      row && {
        kid: row.kid,
        issuerId: row.issuer_id,
        issuerProfileId: issuerProfileId(this.publicUrl, row.issuer_id),
        publicJwk: row.public_jwk,
        validFrom: new Date(row.valid_from),
        ...(row.valid_until === null ? {} : { validUntil: new Date(row.valid_until) }),
      }
    );
  }
}
