import { existsSync } from 'node:fs';
import type { EventStore } from '@app/event-store';
import { chromium } from 'playwright-core';
import type { Actor } from '../../apps/api/src/auth/actor';
import { EVENT_STORE } from '../../apps/api/src/storage.tokens';
import { type ApiHarness, startApi } from '../support/api-harness';
import { listening } from './support/http';
import { recordFigures } from './support/results';

const LIMIT = 30;
/** Debian's chromium, as .ci/run installs it for the browser tests. */
const CHROMIUM = '/usr/bin/chromium';
const admin: Actor = { sub: 'root', roles: ['admin'], issuers: [] };
const auditor: Actor = { sub: 'auditor', roles: ['auditor'], issuers: [] };

/** helmet's headers, the body's size and type, and the per-caller rate limit, as a client meets them. */
describe('security middleware', () => {
  let api: ApiHarness;
  let store: EventStore;
  const events = async () => (await store.readAll({ maxCount: 1_000_000, visibility: 'committed' })).length;

  beforeAll(async () => {
    api = await startApi({ TESSERA_RATE_LIMIT: String(LIMIT) });
    store = api.app.get<symbol, EventStore>(EVENT_STORE);
  });
  afterAll(() => api?.close());

  it('sends helmet headers, with the default Content-Security-Policy, on the api, the web page and /docs', async () => {
    for (const path of ['/health', '/', '/docs', '/no-such-route']) {
      const response = await api.http().get(path);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(response.headers['strict-transport-security']).toMatch(/max-age=/);
      expect(response.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(response.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
      expect(response.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('renders Swagger UI at /docs in a browser under that policy, with no console error', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (apt-get install -y chromium, as .ci/run does)`);
    const base = await listening(api);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
      page.on('pageerror', (error) => errors.push(String(error)));
      const response = await page.goto(`${base}/docs`);
      expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
      await page.waitForSelector('.opblock', { timeout: 30_000 });
      expect(await page.locator('.opblock').count()).toBeGreaterThan(30);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('refuses a body over 1 MB with 413 and a body that is not JSON with 415, as problems, appending nothing', async () => {
    const token = await api.token(admin);
    const before = await events();
    const huge = await api
      .http()
      .post('/issuers')
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ id: 'x', name: 'y'.repeat(1_100_000) }));
    expect(huge.status).toBe(413);
    expect(huge.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(huge.body).toMatchObject({ status: 413, type: 'urn:tessera:problem:entity-too-large' });

    for (const [type, body] of [
      ['text/plain', 'id=x'],
      ['application/x-www-form-urlencoded', 'id=x&name=y'],
      ['application/xml', '<issuer id="x"/>'],
      ['multipart/form-data; boundary=b', '--b\r\nContent-Disposition: form-data; name="id"\r\n\r\nx\r\n--b--'],
    ]) {
      const response = await api
        .http()
        .post('/issuers')
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', type)
        .send(body);
      expect({ type, status: response.status }).toEqual({ type, status: 415 });
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body.type).toBe('urn:tessera:problem:unsupported-media-type');
    }
    expect(await events()).toBe(before);
  });

  it('limits each token subject, and each address without a valid token, to the configured requests a minute', async () => {
    // Two tokens of one subject share a budget; another subject and anonymous callers have their own.
    const [first, second, other] = [await api.token(auditor), await api.token(auditor, '2h'), await api.token(admin)];
    const get = (token?: string) => {
      const call = api.http().get('/audit/verify');
      return token ? call.set('Authorization', `Bearer ${token}`) : call;
    };
    const statuses: number[] = [];
    for (let index = 0; index < LIMIT; index++) statuses.push((await get(index % 2 ? first : second)).status);
    const refused = await get(first);
    const otherSubject = await get(other);
    const anonymous = await api.http().get('/health');

    expect(statuses.filter((status) => status === 200)).toHaveLength(LIMIT);
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ status: 429, type: 'urn:tessera:problem:rate-limited' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(otherSubject.status).toBe(403); // admin is not an auditor: counted separately, answered normally
    expect(anonymous.status).toBe(200);

    // Random tokens do not buy fresh budgets: they count against the address, like anonymous calls
    const forged: number[] = [];
    for (let index = 0; index < LIMIT; index++)
      forged.push((await api.http().get('/audit/verify').set('Authorization', `Bearer forged.${index}.token`)).status);
    expect(forged.filter((status) => status === 429).length).toBeGreaterThan(0);
    expect(forged.every((status) => status === 401 || status === 429)).toBe(true);
    recordFigures('rate-limit', {
      limitPerMinute: LIMIT,
      allowedBeforeRefusal: statuses.length,
      retryAfterSeconds: Number(refused.headers['retry-after']),
      forgedTokensRefused429: forged.filter((status) => status === 429).length,
    });
  });
});
