import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import type { Actor } from '../../apps/api/src/auth/actor';
import { awardThroughApi, definition, issuer, startApi, type ApiHarness } from '../support/api-harness';
import { childEnv } from '../support/child-env';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(__dirname, '../..');
const ARTIFACTS = join(ROOT, 'test/artifacts');
/** Stricter than helmet's default (no inline style either): the page must need nothing looser. */
const STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'self'";

/** Builds the page from the current sources into a temporary directory (dist/web may be stale or absent). */
async function buildWebPage(): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'tessera-web-'));
  await promisify(execFile)(
    process.execPath,
    [
      join(ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      join(ROOT, 'web/vite.config.mts'),
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--logLevel',
      'error',
    ],
    { cwd: ROOT, env: childEnv({ VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' }) },
  );
  return outDir;
}

/**
 * The web page in Debian's chromium against a seeded api: a learner's micro-credentials by kind and a micro-degree
 * as a stacking tree, the registrar's search with filters and pages, the auditor's timeline and transcript as of an
 * instant, and an OB 3.0 credential downloaded. Screenshots land in test/artifacts/.
 */
describe('the web page in a real browser', () => {
  let api: ApiHarness;
  let base: string;
  let webDir: string;
  let profileDir: string;
  let context: BrowserContext;
  const tokens: Record<string, string> = {};
  const browserErrors: string[] = [];
  const awards: Record<string, string> = {};
  let beforeRevocation: string;

  const actors: Record<string, Actor> = {
    admin: { sub: 'root', roles: ['admin'], issuers: [] },
    staff: { sub: 'tu-staff', roles: ['issuer-admin', 'assessor'], issuers: ['tu-dublin'] },
    registrar: { sub: 'registry', roles: ['registrar'], issuers: ['tu-dublin'] },
    auditor: { sub: 'audit-office', roles: ['auditor'], issuers: ['tu-dublin'] },
    ada: { sub: 'ada-login', roles: ['learner'], issuers: [], learner: 'ada' },
  };
  const catalogue: Record<string, { title: string; kind: string; statement: string; validity?: string }> = {
    'core-sql': { title: 'Querying relational data', kind: 'skill', statement: 'I can query a relational database' },
    'core-model': { title: 'Relational modelling', kind: 'knowledge', statement: 'I understand relational modelling' },
    'core-ethics': { title: 'Data ethics', kind: 'disposition', statement: 'I exhibit care for people in data' },
    'elective-spark': { title: 'Data at scale', kind: 'skill', statement: 'I can process data at scale' },
    'elective-kafka': { title: 'Streaming pipelines', kind: 'skill', statement: 'I can build streaming pipelines' },
    'elective-dbt': { title: 'Tested transformations', kind: 'skill', statement: 'I can build tested models' },
    'elective-viz': { title: 'Visual storytelling', kind: 'skill', statement: 'I can present data visually' },
    'privacy-law': {
      title: 'Privacy law refresher',
      kind: 'knowledge',
      statement: 'I understand GDPR basics',
      validity: 'PT1S',
    },
    teamwork: { title: 'Teamwork', kind: 'disposition', statement: 'I exhibit reliable teamwork' },
  };

  const post = (who: string, path: string, body: object = {}) =>
    api.http().post(path).set('Authorization', `Bearer ${tokens[who]}`).send(body);
  const award = async (learnerId: string, achievementId: string) =>
    (awards[`${learnerId}:${achievementId}`] = (
      await awardThroughApi(api, tokens.staff, learnerId, achievementId)
    ).awardId);
  const tick = () => new Promise((resolve) => setTimeout(resolve, 50));

  async function seed(): Promise<void> {
    for (const [name, actor] of Object.entries(actors)) tokens[name] = await api.token(actor);
    await post('admin', '/issuers', issuer()).expect(201);
    for (const [id, { title, kind, statement, validity }] of Object.entries(catalogue))
      await post('staff', '/achievements', {
        id,
        issuerId: 'tu-dublin',
        ...definition({ title, kind, statement, credits: [{ framework: 'ECTS', value: 5 }], validity }),
      }).expect(201);
    const pathway = (id: string, title: string, type: string, credits: number, rule: object) =>
      post('staff', '/pathways', {
        id,
        issuerId: 'tu-dublin',
        title,
        award: { title, type, level: { framework: 'EQF', level: 6 }, credits: [{ framework: 'ECTS', value: credits }] },
        rule,
        conferral: 'automatic',
      }).expect(201);
    await pathway('cert-data', 'Certificate in Data Foundations', 'Certificate', 10, {
      allOf: [{ achievement: 'core-sql' }, { achievement: 'core-model' }],
    });
    await pathway('md-data', 'Micro-degree in Data Engineering', 'ext:MicroDegree', 30, {
      allOf: [
        { pathway: 'cert-data' },
        { achievement: 'core-ethics' },
        {
          nOf: {
            n: 3,
            of: ['elective-spark', 'elective-kafka', 'elective-dbt', 'elective-viz'].map((id) => ({ achievement: id })),
          },
        },
        { credits: { framework: 'ECTS', min: 30 } },
      ],
    });
    for (const id of ['core-sql', 'core-model', 'core-ethics', 'elective-spark', 'elective-kafka', 'elective-dbt'])
      await award('ada', id);
    // The conferral process manager runs inline, in the background: the micro-degree is conferred before its basis
    // is revoked.
    await until('the micro-degree is conferred', async () =>
      (await qualificationsOf('ada')).includes('md-data:conferred'),
    );
    await award('ada', 'privacy-law');
    await award('ada', 'teamwork');
    await post('staff', `/awards/${awards['ada:teamwork']}/suspend`, { reason: 'Under review' }).expect(200);
    // A whole second (the as-of control's precision) after the suspension and before the revocation.
    const second = Math.ceil((Date.now() + 1) / 1000) * 1000;
    await new Promise((resolve) => setTimeout(resolve, second - Date.now() + 50));
    beforeRevocation = new Date(second).toISOString();
    await post('staff', `/awards/${awards['ada:elective-dbt']}/revoke`, { reason: 'Plagiarism' }).expect(200);
    for (const id of ['core-sql', 'core-model', 'core-ethics']) await award('adam', id);
    for (const id of ['core-sql', 'elective-viz', 'teamwork']) await award('grace', id);
    // In progress: ada's evidence on visual storytelling awaits assessment; grace's relational modelling is not yet.
    const evidence = async (learnerId: string, achievementId: string, criterionIds: string[]) =>
      (
        await post('staff', `/learners/${learnerId}/achievements/${achievementId}/evidence`, {
          kind: 'accomplishment',
          criterionIds,
          description: `Portfolio: ${criterionIds.join(', ')}`,
          observedAt: '2026-03-01T10:00:00Z',
        }).expect(201)
      ).body.evidenceId;
    await evidence('ada', 'elective-viz', ['joins']);
    await post('staff', '/learners/grace/achievements/core-model/assessments', {
      evidenceIds: [await evidence('grace', 'core-model', ['joins', 'aggregates'])],
      results: [
        { criterionId: 'joins', met: true },
        { criterionId: 'aggregates', met: false },
      ],
    }).expect(201);
    await api
      .http()
      .put('/learners/ada/profile')
      .set('Authorization', `Bearer ${tokens.registrar}`)
      .send({ name: 'Ada Lovelace', email: 'ada@example.edu' })
      .expect(200);
    await until('the read models have caught up', async () => {
      const transcript = await get('registrar', '/learners/ada/transcript');
      const status = (id: string) =>
        transcript.awards.find((entry: { achievementId: string }) => entry.achievementId === id)?.status;
      return (
        (await qualificationsOf('ada')).join() === 'cert-data:conferred,md-data:invalidated' &&
        status('privacy-law') === 'expired' &&
        status('elective-dbt') === 'revoked' &&
        (await get('registrar', '/transcripts?limit=200')).items.length === 14
      );
    });
  }

  const get = async (who: string, path: string) =>
    (await api.http().get(path).set('Authorization', `Bearer ${tokens[who]}`).expect(200)).body;

  const qualificationsOf = async (learnerId: string): Promise<string[]> =>
    (await get('registrar', `/learners/${learnerId}/transcript`)).qualifications
      .map((entry: { pathwayId: string; status: string }) => `${entry.pathwayId}:${entry.status}`)
      .sort();

  async function until(what: string, check: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
      await tick();
    }
  }

  async function openPage(hash: string): Promise<Page> {
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' && !/Failed to load resource/.test(message.text()))
        browserErrors.push(message.text());
    });
    page.on('pageerror', (error) => browserErrors.push(error.message));
    await page.goto(`${base}/${hash}`);
    return page;
  }

  const texts = (page: Page, selector: string) => page.locator(selector).allTextContents();
  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(
        `${CHROMIUM} is missing: the browser test needs Debian's chromium ` +
          '(apt-get install -y chromium, as .ci/run does) — it is not skipped',
      );
    webDir = await buildWebPage();
    api = await startApi({ TESSERA_WEB_DIR: webDir });
    const server = await api.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await seed();
    await mkdir(ARTIFACTS, { recursive: true });
    profileDir = await mkdtemp(join(tmpdir(), 'tessera-chromium-'));
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      timezoneId: 'UTC',
      locale: 'en-GB',
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    // Any Content-Security-Policy violation (the charts' included) is a browser error, which fails the test.
    await context.addInitScript({
      content: `document.addEventListener('securitypolicyviolation', (event) =>
        console.error('CSP violation: ' + event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline')));`,
    });
    // Enforce a strict Content-Security-Policy on the page besides the api's own (helmet's): comma-separated
    // policies all apply.
    await context.route(`${base}/`, async (route) => {
      const response = await route.fetch();
      const policies = [response.headers()['content-security-policy'], STRICT_CSP].filter(Boolean).join(', ');
      await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': policies } });
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await api?.close();
    for (const dir of [webDir, profileDir]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  afterEach(() => {
    expect(browserErrors).toEqual([]);
  });

  it('asks for a token, and says plainly when the token is refused', async () => {
    const page = await openPage('');
    await page.getByRole('heading', { name: 'Paste your token' }).waitFor();
    await page.getByLabel('Bearer token').fill('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bm90LXNpZ25lZA');
    await page.getByRole('button', { name: 'Use this token' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('paste a valid token');
    expect(await alert.textContent()).toContain('The token signature does not verify.');
    expect(await page.locator('#session').textContent()).toBe('Not signed in');
    expect(await texts(page, '#views a:not([hidden])')).toEqual(['Learner', 'Registrar', 'Auditor', 'Analytics']);
    expect(await page.evaluate('sessionStorage.getItem("tessera.token")')).toBeNull();
    await shot(page, 'sign-in-refused');
    await page.close();
  });

  it('signs in again when a #token= link is opened in a tab that already shows the page', async () => {
    const page = await openPage(`#token=${tokens.ada}`);
    await until('the learner is signed in', async () =>
      ((await page.locator('#session').textContent()) ?? '').includes('ada-login'),
    );
    await page.evaluate(`location.hash = ${JSON.stringify(`#token=${tokens.registrar}`)}`);
    await until('the registrar is signed in', async () =>
      ((await page.locator('#session').textContent()) ?? '').includes('registry'),
    );
    expect(await page.evaluate('sessionStorage.getItem("tessera.token")')).toBe(tokens.registrar);
    expect(page.url()).not.toContain('token=');
    await page.close();
  });

  it('shows a learner their micro-credentials by kind with status and credits, each pathway as a stacking tree, and downloads their OB 3.0 and CLR credentials', async () => {
    const page = await openPage(`#token=${tokens.ada}`);
    await page.locator('[data-pathway="md-data"] .tree').waitFor();
    expect(new URL(page.url()).hash).toBe('#/learner/ada');
    expect(await page.evaluate('sessionStorage.getItem("tessera.token")')).toBe(tokens.ada);
    expect(await texts(page, '#views a:not([hidden])')).toEqual(['Learner']);

    const titlesOf = (kind: string) => texts(page, `[data-kind="${kind}"] .card h4`);
    expect((await titlesOf('skill')).sort()).toEqual(
      ['Data at scale', 'Querying relational data', 'Streaming pipelines', 'Tested transformations'].sort(),
    );
    expect((await titlesOf('knowledge')).sort()).toEqual(['Privacy law refresher', 'Relational modelling']);
    expect((await titlesOf('disposition')).sort()).toEqual(['Data ethics', 'Teamwork']);
    expect(await page.locator('[data-kind="skill"] h3').textContent()).toContain('I can');
    expect(await page.locator('[data-kind="knowledge"] h3').textContent()).toContain('I understand');
    expect(await page.locator('[data-kind="disposition"] h3').textContent()).toContain('I exhibit');

    const card = (learnerAchievement: string) => page.locator(`.card[data-award="${awards[learnerAchievement]}"]`);
    for (const [id, status] of [
      ['core-sql', 'valid'],
      ['elective-dbt', 'revoked'],
      ['privacy-law', 'expired'],
      ['teamwork', 'suspended'],
    ]) {
      expect(await card(`ada:${id}`).locator('.pill').textContent()).toBe(status);
      expect(await card(`ada:${id}`).locator('.credits').textContent()).toBe('5 ECTS');
    }
    expect(await card('ada:core-sql').locator('.statement').textContent()).toBe('I can query a relational database');

    // The micro-degree, invalidated by the revocation: the certificate conferred, ethics done, electives 2 of 3
    // (dbt revoked), 25 of 30 ECTS.
    const degree = page.locator('article[data-pathway="md-data"]');
    expect(await degree.locator('.pill').first().textContent()).toBe('in progress');
    expect(await degree.locator('.credit-figure').textContent()).toBe('25 of 30 ECTS');
    const node = (title: string) =>
      degree.locator('li.node', { has: page.locator(':scope > .node-line .node-title', { hasText: title }) });
    expect(await degree.locator('.tree > li.node').getAttribute('data-state')).toBe('missing');
    expect(await node('Certificate in Data Foundations').getAttribute('data-state')).toBe('done');
    expect(await node('Certificate in Data Foundations').locator('> .node-line .state').textContent()).toBe(
      'conferred',
    );
    expect(await node('Querying relational data').getAttribute('data-state')).toBe('done');
    expect(await node('Data ethics').getAttribute('data-state')).toBe('done');
    expect(await node('Tested transformations').locator('> .node-line .state').textContent()).toBe('missing (revoked)');
    expect(await node('Visual storytelling').getAttribute('data-state')).toBe('missing');
    const electives = degree.locator('li.node', {
      has: page.locator(':scope > .node-line', { hasText: '3 of these 4' }),
    });
    expect(await electives.locator('> .node-line').textContent()).toContain('2 done');
    expect(await electives.getAttribute('data-state')).toBe('missing');
    expect(await degree.locator('.node-figure').textContent()).toBe('25 of 30 ECTS');
    const stillNeeded = await texts(page, 'article[data-pathway="md-data"] .still-needed li');
    expect(stillNeeded).toEqual([
      '1 more of: Tested transformations (held, but revoked); Visual storytelling',
      '5 more ECTS (25 of 30)',
    ]);
    expect(await page.locator('article[data-pathway="cert-data"] .tree > li.node').getAttribute('data-state')).toBe(
      'done',
    );
    expect(await page.locator('.qualifications [data-pathway="cert-data"] .pill').textContent()).toBe('conferred');
    expect(await page.locator('.qualifications [data-pathway="md-data"] .pill').textContent()).toBe('invalidated');
    await shot(page, 'learner');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      card('ada:core-sql').locator('a.credential-json').click(),
    ]);
    const credential = JSON.parse(await readFile((await download.path())!, 'utf8'));
    expect(credential.type).toEqual(expect.arrayContaining(['VerifiableCredential']));
    expect(JSON.stringify(credential.type)).toMatch(/AchievementCredential|OpenBadgeCredential/);
    expect(JSON.stringify(credential)).toContain('Querying relational data');
    expect(JSON.stringify(credential)).toContain(awards['ada:core-sql']);

    const [clr] = await Promise.all([page.waitForEvent('download'), page.locator('button[data-clr="json"]').click()]);
    expect(clr.suggestedFilename()).toBe('ada-clr.json');
    const transcript = JSON.parse(await readFile((await clr.path())!, 'utf8'));
    expect(transcript.type).toEqual(expect.arrayContaining(['VerifiableCredential', 'ClrCredential']));
    expect(JSON.stringify(transcript)).toContain('Data ethics');

    // A view the token may not use says so, in words.
    await page.evaluate("location.hash = '#/registrar'");
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.locator('strong').textContent()).toBe('This token may not see that');
    await page.close();
  });

  it('lets a registrar search awards by learner, achievement and status, page through them and open a learner', async () => {
    const page = await openPage(`#token=${tokens.registrar}`);
    await page.locator('table.results').waitFor();
    expect(new URL(page.url()).hash).toBe('#/registrar');
    const learners = () =>
      page.locator('table.results tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-learner')));
    const statuses = () =>
      page.locator('table.results tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-status')));
    const search = async (fill: () => Promise<unknown>) => {
      const before = page.url();
      // Each render draws a new view: wait for the one showing the old results to go, not merely for a view at rest.
      const shown = await page.locator('.view').elementHandle();
      await fill();
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL((url) => url.href !== before);
      await shown?.waitForElementState('hidden');
      await page.locator('.view:not([aria-busy])').waitFor();
    };
    expect(new Set(await learners())).toEqual(new Set(['ada', 'adam', 'grace']));

    await search(() => page.getByLabel('Per page').selectOption('10'));
    expect(await learners()).toHaveLength(10);
    await page.getByRole('button', { name: 'Next page »' }).click();
    await page.getByText('Page 2').waitFor();
    await page.locator('.view:not([aria-busy])').waitFor();
    expect((await learners()).length).toBe(4);
    expect(await page.getByRole('button', { name: 'Next page »' }).count()).toBe(0);

    await search(() => page.getByLabel('Learner', { exact: true }).fill('ad'));
    expect(new Set(await learners())).toEqual(new Set(['ada', 'adam']));
    expect(await page.getByText('Page 1').count()).toBe(1);

    await search(async () => {
      await page.getByLabel('Learner', { exact: true }).fill('');
      await page.getByLabel('Status').selectOption('revoked');
    });
    expect(await learners()).toEqual(['ada']);
    expect(await statuses()).toEqual(['revoked']);

    await search(async () => {
      await page.getByLabel('Status').selectOption('');
      await page.getByLabel('Micro-credential').selectOption({ label: 'Teamwork' });
    });
    expect(await learners()).toEqual(['ada', 'grace']);
    expect(await statuses()).toEqual(['suspended', 'valid']);
    await shot(page, 'registrar');

    await page.getByRole('link', { name: 'grace' }).click();
    await page.locator('[data-kind="disposition"] .card').waitFor();
    expect(new URL(page.url()).hash).toBe('#/learner/grace');
    expect(await page.locator('h1').textContent()).toBe('grace');
    await page.close();
  });

  it('shows an auditor the timeline of a learner’s events and the transcript as of an instant beside today’s', async () => {
    const page = await openPage(`#token=${tokens.auditor}&view=auditor&learner=ada`);
    await page.locator('#timeline li').first().waitFor();
    const types = await page
      .locator('#timeline .event')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-type')));
    expect(types.slice(0, 3)).toEqual(['EvidenceSubmitted', 'AssessmentRecorded', 'AchievementAwarded']);
    expect(types).toEqual(expect.arrayContaining(['AwardSuspended', 'AwardRevoked', 'QualificationConferred']));
    expect(types.indexOf('AwardRevoked')).toBeGreaterThan(types.indexOf('AwardSuspended'));
    const revoked = page.locator('#timeline .event[data-type="AwardRevoked"]');
    expect(await revoked.locator('.actor').textContent()).toContain('tu-staff');
    expect(await revoked.locator('code').textContent()).toBe('record-ada~elective-dbt');
    expect(
      await page.locator('#timeline .event[data-type="QualificationConferred"] .actor').first().textContent(),
    ).toContain('tessera:conferral');

    await page.getByLabel('As of').fill(beforeRevocation.slice(0, 19));
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('table.compare').waitFor();
    const row = (learnerAchievement: string) =>
      page.locator(`table.compare tr[data-award="${awards[learnerAchievement]}"]`);
    expect(await row('ada:elective-dbt').locator('.then').textContent()).toBe('valid');
    expect(await row('ada:elective-dbt').locator('.now').textContent()).toBe('revoked');
    expect(await row('ada:teamwork').locator('.then').textContent()).toBe('suspended');
    expect(await row('ada:core-sql').locator('.then').textContent()).toBe('valid');
    const then = (await get('auditor', `/learners/ada/transcript?asOf=${beforeRevocation}`)).creditTotals[0].value;
    expect(then).toBeGreaterThan(25);
    expect(await page.locator('.as-of-caption').textContent()).toMatch(
      new RegExp(`: ${then} ECTS valid · today: 25 ECTS$`),
    );
    await shot(page, 'auditor');

    // Each event shows when it happened (as its data dates it) and when it was recorded.
    const evidence = page.locator('#timeline .event[data-type="EvidenceSubmitted"]').last();
    expect(await evidence.locator('.happened time').getAttribute('datetime')).toMatch(/^2026-03-01T10:00:00/);
    const recordedAt = await evidence.locator('.recorded time').getAttribute('datetime');
    expect(Date.parse(recordedAt ?? '')).toBeGreaterThan(Date.parse('2026-03-01T10:00:00Z'));
    expect(await evidence.locator('.event-dates dt').allTextContents()).toEqual(['Happened', 'Recorded']);

    // "Transcript as of this event" is as of its position, not its instant: the ledger just after the revocation.
    const revocation = page.locator('#timeline .event[data-type="AwardRevoked"]');
    const position = await revocation.getAttribute('data-position');
    await revocation.getByRole('button', { name: 'Transcript as of this event' }).click();
    await until('the transcript as of the event is shown', async () =>
      ((await page.locator('.as-of-caption').textContent()) ?? '').startsWith('Just after the event at position'),
    );
    expect(new URL(page.url()).hash).toBe(`#/auditor/ada?asOfPosition=${position}`);
    expect(await page.locator('.as-of-caption strong').first().textContent()).toBe(position);
    expect(await row('ada:elective-dbt').locator('.then').textContent()).toBe('revoked');
    expect(await row('ada:teamwork').locator('.then').textContent()).toBe('suspended');
    await shot(page, 'auditor-as-of-event');
    await page.close();
  });

  it('shows a learner their record as of the date things happened, and as the ledger knew it at an instant', async () => {
    const page = await openPage(`#token=${tokens.ada}`);
    await page.locator('article[data-pathway="cert-data"] .tree').waitFor();
    expect(await page.locator('article[data-pathway="cert-data"] header .pill').textContent()).toBe('complete');
    // Everything was awarded today: by the end of yesterday, nothing had happened yet.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('As of the date it happened').fill(yesterday);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('#record-when-caption').waitFor();
    expect(new URL(page.url()).hash).toBe(
      `#/learner/ada?effectiveAt=${encodeURIComponent(`${yesterday}T23:59:59.999Z`)}`,
    );
    expect(await page.locator('#record-when-caption').textContent()).toContain('what had been achieved by');
    await page.locator('article[data-pathway="cert-data"] .tree').waitFor();
    expect(await page.locator('.kinds .card[data-award]').count()).toBe(0);
    expect(await page.locator('article[data-pathway="cert-data"] header .pill').textContent()).toBe('in progress');
    expect(await page.getByLabel('As of the date it happened').inputValue()).toBe(yesterday);
    await shot(page, 'learner-effective-at');

    // As the ledger knew it before the revocation (by recording time), today: the revoked award was still valid.
    await page.getByLabel('As of the date it happened').fill('');
    await page.getByLabel('As the ledger knew it at').fill(beforeRevocation.slice(0, 19));
    await page.getByRole('button', { name: 'Show' }).click();
    await until('the record as the ledger knew it is shown', async () =>
      ((await page.locator('#record-when-caption').textContent()) ?? '').includes('as the ledger knew it at'),
    );
    await page.locator('article[data-pathway="cert-data"] .tree').waitFor();
    const dbt = page.locator(`.card[data-award="${awards['ada:elective-dbt']}"]`);
    expect(await dbt.locator('.pill').textContent()).toBe('valid');
    await page.getByRole('button', { name: 'Now' }).click();
    await until('the record of today is shown', async () => (await page.locator('#record-when-caption').count()) === 0);
    await page.locator(`.card[data-award="${awards['ada:elective-dbt']}"]`).waitFor();
    expect(await page.locator(`.card[data-award="${awards['ada:elective-dbt']}"] .pill`).textContent()).toBe('revoked');
    await page.close();
  });

  it('fits a 390 px phone screen: pathway cards and the auditor timeline’s expanded data stay inside their cards', async () => {
    /** The cards wider than the screen, or with something sticking out of them: each with what sticks out. */
    const overflowing = (page: Page, selector: string, width: number) =>
      page.locator(selector).evaluateAll(
        (elements, screen) =>
          elements.flatMap((element) => {
            const card = element.getBoundingClientRect();
            const contentRight = card.left + element.clientLeft + element.clientWidth;
            const out = [...element.querySelectorAll('*')]
              .filter((child) => child.getBoundingClientRect().right > contentRight + 0.5)
              .map((child) => `${child.tagName.toLowerCase()}.${child.className}`);
            return card.right > screen + 0.5 || element.scrollWidth > element.clientWidth + 1 || out.length > 0
              ? [`${element.className} (${Math.round(card.right)} px of ${screen}): ${out.join(', ')}`]
              : [];
          }),
        width,
      );
    const learner = await openPage(`#token=${tokens.ada}`);
    await learner.setViewportSize({ width: 390, height: 844 });
    await learner.locator('.pathway').first().waitFor();
    expect(await overflowing(learner, '.pathway', 390)).toEqual([]);
    expect(await overflowing(learner, '.progress-card', 390)).toEqual([]);
    expect(await learner.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot(learner, 'learner-390px');
    await learner.close();

    const auditor = await openPage(`#token=${tokens.auditor}&view=auditor&learner=ada`);
    await auditor.locator('#timeline li').first().waitFor();
    for (const width of [1280, 390]) {
      await auditor.setViewportSize({ width, height: 900 });
      const event = auditor.locator('#timeline .event[data-type="AchievementAwarded"]').first();
      await event.locator('summary', { hasText: 'Data' }).click();
      await event.locator('pre').waitFor();
      expect(await overflowing(auditor, '#timeline .event', width)).toEqual([]);
      await event.locator('summary', { hasText: 'Data' }).click();
    }
    await shot(auditor, 'auditor-390px');
    await auditor.close();
  });

  it('has a favicon, served with the page', async () => {
    const page = await openPage('');
    const href = await page.locator('link[rel="icon"]').getAttribute('href');
    expect(href).toBeTruthy();
    const icon = await api
      .http()
      .get(new URL(href!, `${base}/`).pathname)
      .expect(200);
    expect(icon.headers['content-type']).toMatch(/^image\//);
    await page.close();
  });

  it('GET /transcripts?learnerIdPrefix= finds the learners whose id starts with it, taking _ and % literally', async () => {
    const learnersOf = async (prefix: string) =>
      (await get('registrar', `/transcripts?learnerIdPrefix=${encodeURIComponent(prefix)}&limit=200`)).items.map(
        (item: { learnerId: string }) => item.learnerId,
      );
    expect(new Set(await learnersOf('ad'))).toEqual(new Set(['ada', 'adam']));
    expect(await learnersOf('adam')).toEqual(['adam', 'adam', 'adam']);
    expect(await learnersOf('a_a')).toEqual([]);
    expect(await learnersOf('%')).toEqual([]);
    const tooLong = await api
      .http()
      .get(`/transcripts?learnerIdPrefix=${'a'.repeat(65)}`)
      .set('Authorization', `Bearer ${tokens.registrar}`)
      .expect(400);
    expect(tooLong.type).toBe('application/problem+json');
  });

  it('serves the page without an auth check, and keeps it out of the OpenAPI document', async () => {
    const index = await api.http().get('/').expect(200);
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    expect(index.type).toBe('text/html');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(index.text)?.[1];
    expect(script).toBeDefined();
    await api
      .http()
      .get(script!)
      .expect(200)
      .expect('Content-Type', /javascript/);
    const scriptTags = index.text.match(/<script\b[^>]*>/g) ?? [];
    expect(scriptTags.length).toBeGreaterThan(0);
    expect(scriptTags.filter((tag) => !/\bsrc="\/assets\//.test(tag))).toEqual([]);
    await api
      .http()
      .get('/assets/nope.js')
      .expect(404)
      .expect('Content-Type', /problem\+json/);
    const paths = Object.keys((await api.http().get('/openapi.json').expect(200)).body.paths);
    expect(paths.filter((path) => path === '/' || path.startsWith('/assets'))).toEqual([]);
  });
  it('shows a learner, by name, what is still in progress: each criterion with its evidence and outcome, what is pending and missing', async () => {
    const page = await openPage(`#token=${tokens.ada}`);
    const viz = page.locator('.in-progress [data-achievement="elective-viz"]');
    await viz.waitFor();
    expect(await page.locator('h1').textContent()).toBe('Ada Lovelace');
    expect(await page.locator('.learner-id').textContent()).toBe('ada');
    expect(await viz.locator('.stage').textContent()).toBe('awaiting assessment');
    expect(await viz.locator('.pending').textContent()).toBe('1 piece of evidence awaiting assessment');
    expect(await viz.locator('.missing').textContent()).toBe('Missing: Groups and aggregates correctly');
    const criteria = () =>
      viz
        .locator('.criterion')
        .evaluateAll((items) =>
          items.map((item) => `${item.getAttribute('data-criterion')}: ${item.getAttribute('data-state')}`),
        );
    expect(await criteria()).toEqual([
      'joins: evidence, not assessed',
      'aggregates: no evidence yet',
      'plans: no evidence yet',
    ]);
    await viz.locator('summary', { hasText: 'Evidence and assessments' }).click();
    expect(await viz.locator('.evidence li').first().textContent()).toContain('observed by tu-staff');
    // Awarded micro-credentials are not in progress.
    expect(await page.locator('.in-progress [data-achievement="core-sql"]').count()).toBe(0);
    await page.close();

    const registrar = await openPage(`#token=${tokens.registrar}&view=learner&learner=grace`);
    const model = registrar.locator('.in-progress [data-achievement="core-model"]');
    await model.waitFor();
    expect(await model.getAttribute('data-stage')).toBe('not-yet');
    expect(await model.locator('.missing').textContent()).toBe('Missing: Groups and aggregates correctly');
    expect(await model.locator('.criterion[data-criterion="joins"]').getAttribute('data-state')).toBe('met');
    await registrar.close();
  });

  it('says "No such learner" for a learner id no issuer holds, to staff and to a learner token alike', async () => {
    const registrar = await openPage(`#token=${tokens.registrar}&view=learner&learner=nobody`);
    const alert = registrar.getByRole('alert');
    await alert.waitFor();
    expect(await alert.locator('strong').textContent()).toBe('No such learner');
    await registrar.close();
    const stranger = await openPage(
      `#token=${await api.token({ sub: 'zed-login', roles: ['learner'], issuers: [], learner: 'zed' })}`,
    );
    await stranger.getByRole('alert').waitFor();
    expect(await stranger.getByRole('alert').locator('strong').textContent()).toBe('No such learner');
    await stranger.close();
  });

  it('opens the auditor on a learner search and the ledger’s recent activity, and verifies the ledger with progress, naming a broken link', async () => {
    const page = await openPage(`#token=${tokens.auditor}`);
    await page.locator('#activity tbody tr').first().waitFor();
    expect(new URL(page.url()).hash).toBe('#/auditor');
    const recentPage = await get('auditor', '/audit/events?limit=20');
    const recent = recentPage.events;
    expect(
      await page
        .locator('#activity tbody tr')
        .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-position'))),
    ).toEqual(recent.map((event: { position: string }) => event.position));
    const older = (await get('auditor', `/audit/events?limit=20&cursor=${recentPage.next}`)).events;
    await page.getByRole('button', { name: 'Older events' }).click();
    await page.locator('#activity tbody tr').nth(20).waitFor();
    expect(
      await page
        .locator('#activity tbody tr')
        .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-position'))),
    ).toEqual([...recent, ...older].map((event: { position: string }) => event.position));
    await page.getByRole('button', { name: 'Verify the ledger' }).click();
    await page.locator('.verify-ok').waitFor();
    const bar = page.locator('#verify-progress');
    expect(await bar.getAttribute('value')).toBe(await bar.getAttribute('max'));
    const report = await get('auditor', '/audit/verify');
    expect(await page.locator('.verify-status').textContent()).toBe(
      `${report.events} events in ${report.streams} streams checked.`,
    );
    await shot(page, 'auditor-home');

    const sql = new Client({ connectionString: api.database.url });
    await sql.connect();
    const forge = (description: string) =>
      sql.query(
        `UPDATE tessera_events SET data = jsonb_set(data, '{description}', to_jsonb($1::text))
          WHERE stream_name = 'record-grace~core-model' AND stream_revision = 0`,
        [description],
      );
    try {
      await forge('forged');
      await page.getByRole('button', { name: 'Verify the ledger' }).click();
      await page.locator('.broken li').waitFor();
      expect(await page.locator('.broken li').textContent()).toBe(
        'record-grace~core-model #0: hash does not match the event (changed after it was recorded)',
      );
      await shot(page, 'auditor-broken-link');
    } finally {
      await forge('Portfolio: joins, aggregates');
      await sql.end();
    }

    await page.getByLabel('Learner id').fill('grace');
    await page.getByRole('button', { name: 'Open' }).click();
    await page.locator('#timeline li').first().waitFor();
    expect(new URL(page.url()).hash).toBe('#/auditor/grace');
    await page.close();
  });

  it('charts an issuer’s pass rates, time to award, pathway funnels and credits per month, under the strict CSP', async () => {
    const page = await openPage(`#token=${tokens.staff}`);
    await page.locator('figure[data-chart="chart-credits"] canvas').waitFor();
    expect(new URL(page.url()).hash).toBe('#/analytics');
    expect(await texts(page, '#views a:not([hidden])')).toEqual(['Analytics']);
    /** Whether chart.js drew on the canvas: some pixel is not transparent. */
    const drawn = (id: string) =>
      page.evaluate(`(() => {
        const canvas = document.getElementById(${JSON.stringify(id)});
        const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
        return canvas.width > 0 && data.some((value, index) => index % 4 === 3 && value > 0);
      })()`);
    const charts = await page
      .locator('figure[data-chart]')
      .evaluateAll((figures) => figures.map((figure) => figure.getAttribute('data-chart')!));
    expect(charts).toEqual([
      'chart-pass-rate',
      'chart-days-to-award',
      'chart-funnel-0',
      'chart-funnel-1',
      'chart-credits',
    ]);
    for (const id of charts) expect(await drawn(id)).toBe(true);
    const table = (chart: string) =>
      page
        .locator(`figure[data-chart="${chart}"] tbody tr`)
        .evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent).join(': ')));
    expect(await table('chart-pass-rate')).toEqual(
      expect.arrayContaining(['Relational modelling: 67%', 'Querying relational data: 100%']),
    );
    const degree = page.locator('figure[data-pathway="md-data"]').getAttribute('data-chart');
    expect(await table((await degree)!)).toEqual([
      '1 of 7 held: 3',
      '2 of 7 held: 3',
      '3 of 7 held: 2',
      '4 of 7 held: 1',
      '5 of 7 held: 1',
      '6 of 7 held: 0',
      '7 of 7 held: 0',
      'Conferred: 0',
    ]);
    expect(await table((await page.locator('figure[data-pathway="cert-data"]').getAttribute('data-chart'))!)).toEqual([
      '1 of 2 held: 3',
      '2 of 2 held: 2',
      'Conferred: 2',
    ]);
    // Fourteen awards of 5 ECTS each, all this month.
    expect(await table('chart-credits')).toEqual([`${new Date().toISOString().slice(0, 7)}: 70`]);
    // One duration per learner's first award of each micro-credential: fourteen.
    const days = (await table('chart-days-to-award')).map((row) => Number(row.split(': ')[1]));
    expect(days.reduce((a, b) => a + b)).toBe((await get('staff', '/analytics/issuers/tu-dublin')).awards);
    await shot(page, 'analytics');

    await page.setViewportSize({ width: 390, height: 844 });
    await until(
      'the charts fit the phone screen',
      async () => ((await page.evaluate('document.documentElement.scrollWidth')) as number) <= 390,
    );
    for (const id of charts) expect(await drawn(id)).toBe(true);
    await shot(page, 'analytics-390px');
    await page.close();
  });
});
