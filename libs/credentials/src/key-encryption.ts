import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

const VERSION = 'v1';
const SALT = 'tessera:issuer-keys:v1';

/** Why an issuer's private key could not be opened: another key-encryption key, or a damaged value. */
export class KeyDecryptionFailed extends Error {}

/**
 * AES-256-GCM over issuers' private JWKs, under a key derived with scrypt from a secret (`TESSERA_KEY_ENCRYPTION_KEY`).
 * The key id is bound as additional authenticated data, so a ciphertext moved to another row does not open.
 * Stored as `v1.{iv}.{tag}.{ciphertext}`, each base64url.
 */
export class KeyEncryption {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = scryptSync(secret, SALT, 32);
  }

  encrypt(plaintext: string, kid: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(kid, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, ...[iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'))].join('.');
  }

  decrypt(sealed: string, kid: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION)
      throw new KeyDecryptionFailed(`the stored private key of ${kid} is not in a known format`);
    const [iv, tag, ciphertext] = parts.slice(1).map((part) => Buffer.from(part, 'base64url'));
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
      decipher.setAAD(Buffer.from(kid, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new KeyDecryptionFailed(
        `the private key of ${kid} does not open with this key-encryption key (was TESSERA_KEY_ENCRYPTION_KEY changed?)`,
      );
    }
  }
}
