import { decodeJwt } from 'jose';
import { CLI_JWT_SECRET, REPO, runIn } from './cli-harness';

/** `tessera token` needs no store: only the secret. */
const token = (...args: string[]) => runIn({ TESSERA_JWT_SECRET: CLI_JWT_SECRET }, REPO, ['token', ...args]);

describe('tessera token', () => {
  it.each([
    [['--role', 'learner'], /^tessera token: --role learner needs --learner <learnerId>/],
    [['--role', 'registrar'], /^tessera token: --role registrar needs --issuer <issuerId\.\.\.>/],
    [['--role', 'auditor', 'assessor'], /^tessera token: --role auditor assessor needs --issuer/],
    [['--role', 'issuer-admin', '--learner', 'ada'], /needs --issuer/],
  ])('refuses %j, a token that would reach nothing, in one line with exit code 1', async (args, message) => {
    const result = await token(...args);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.each([
    [['--role', 'learner', '--learner', 'ada-lovelace'], { roles: ['learner'], learner: 'ada-lovelace' }],
    [['--role', 'registrar', '--issuer', 'tu-dublin'], { roles: ['registrar'], issuers: ['tu-dublin'] }],
    [['--role', 'admin'], { roles: ['admin'], issuers: [] }],
  ])('mints %j', async (args, claims) => {
    const result = await token(...args);
    expect(result.code).toBe(0);
    expect(decodeJwt(result.stdout.trim())).toEqual(expect.objectContaining(claims));
  });
});
