import { loadConfig } from '@app/config';
import { keyEncryptionSecret } from './issuer-key.store';

describe('keyEncryptionSecret', () => {
  const secret = 'x'.repeat(40);

  it('is TESSERA_KEY_ENCRYPTION_KEY when set', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u:p@db:5432/t',
      TESSERA_JWT_SECRET: secret,
      TESSERA_KEY_ENCRYPTION_KEY: 'kek',
    });
    expect(keyEncryptionSecret(config)).toBe('kek');
  });

  it('is derived from the development JWT secret on the embedded default', () => {
    const config = loadConfig({ TESSERA_DATA_DIR: '/tmp/unused', TESSERA_JWT_SECRET: secret });
    expect(keyEncryptionSecret(config)).toBe(`tessera-dev-kek:${secret}`);
  });

  it('is absent with a database server and no key: signing is refused', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/t', TESSERA_JWT_SECRET: secret });
    expect(keyEncryptionSecret(config)).toBeUndefined();
  });
});
