import { type LaxTokenKind, laxTokens } from '../../../../test/support/lax-tokens';
import type { Actor } from './actor';
import { CLOCK_SKEW_SECONDS, InvalidToken, TokenVerifier } from './token-verifier';

describe('TokenVerifier', () => {
  const secret = 'token-verifier-spec-secret-'.repeat(2);
  const verifier = new TokenVerifier(secret);
  const claims: Actor = { sub: 'ada', roles: ['learner'], issuers: [], learner: 'ada' };

  it('accepts a token it minted, for up to the maximum age', async () => {
    for (const lifetime of ['1h', '24h'])
      await expect(verifier.verify(await verifier.sign(claims, lifetime))).resolves.toMatchObject({
        sub: 'ada',
      });
  });

  it('refuses to mint a token that would live longer than the maximum age', async () => {
    await expect(verifier.sign(claims, '25h')).rejects.toThrow(/at most 86400 s/);
    await expect(new TokenVerifier(secret, 1800).sign(claims, '1h')).rejects.toThrow(/at most 1800 s/);
  });

  it.each<[LaxTokenKind, RegExp]>([
    ['no exp', /exp.*missing/],
    ['no iat', /iat.*missing/],
    ['exp a century ahead', /lives longer than 86400 s/],
    ['a life of 25 h', /lives longer than 86400 s/],
    ['iat a year ahead', /issued in the future/],
    ['iat 2 min ahead', /issued in the future/],
    ['nbf 2 min ahead', /nbf/],
    ['padded signature', /canonical base64url/],
    ['signature with stray bits', /canonical base64url/],
  ])('refuses a token with %s, saying why', async (kind, reason) => {
    const token = (await laxTokens(secret, claims))[kind];
    const refusal = verifier.verify(token);
    await expect(refusal).rejects.toThrow(InvalidToken);
    await expect(refusal).rejects.toThrow(reason);
  });

  it('allows a minute of clock skew on iat and nbf', async () => {
    const { SignJWT } = await import('jose');
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ ...claims, iat: now + 50, nbf: now + 50, exp: now + 3600 })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .sign(new TextEncoder().encode(secret));
    await expect(verifier.verify(token)).resolves.toMatchObject({ sub: 'ada' });
  });

  describe('a token presented again', () => {
    afterEach(() => jest.useRealTimers());

    it('is answered without checking its signature again, with the same actor', async () => {
      const own = new TokenVerifier(secret);
      const token = await own.sign(claims, '1h');
      const first = await own.verify(token);
      expect(await own.verify(token)).toEqual(first);
      await own.verify(token);
      expect(own.signatureChecks).toBe(1);
      expect(Object.isFrozen(first) && Object.isFrozen(first.roles)).toBe(true);
    });

    it('is refused once it has expired, though it verified before', async () => {
      const own = new TokenVerifier(secret);
      const token = await own.sign(claims, '1h');
      await own.verify(token);
      const later = Date.now() + (3600 + CLOCK_SKEW_SECONDS + 1) * 1000;
      // Only the clock moves (Date.now and new Date, which jose reads).
      jest.useFakeTimers({ now: later, doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate', 'setTimeout'] });
      await expect(own.verify(token)).rejects.toThrow(/expired/);
    });

    it('that did not verify is checked again each time', async () => {
      const own = new TokenVerifier(secret);
      const forged = (await new TokenVerifier('another-secret-entirely-'.repeat(2)).sign(claims)) as string;
      await expect(own.verify(forged)).rejects.toThrow(/signature/);
      await expect(own.verify(forged)).rejects.toThrow(/signature/);
      expect(own.signatureChecks).toBe(2);
    });
  });
});
