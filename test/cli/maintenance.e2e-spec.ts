import { type CliHarness, startCli } from './cli-harness';

describe('tessera audit verify and projections rebuild', () => {
  let cli: CliHarness;
  beforeAll(async () => {
    cli = await startCli();
    expect((await cli.run('catalogue', 'import', 'examples/catalogue.yaml')).code).toBe(0);
    expect((await cli.run('import', 'evidence', 'examples/evidence.csv')).code).toBe(0);
  });
  afterAll(() => cli?.close());

  it('verifies the hash chains of imported events', async () => {
    const audit = await cli.run('audit', 'verify', '--json');
    expect(audit.code).toBe(0);
    expect(JSON.parse(audit.stdout)).toEqual({ ok: true, streams: 20, events: 20, broken: [] });
  });

  it('rebuilds the read models from the imported events', async () => {
    const rebuild = await cli.run('projections', 'rebuild');
    expect(rebuild.stderr).toBe('');
    expect(rebuild.code).toBe(0);
    expect(rebuild.stdout).toMatch(/^rebuilt \d+ read models from 20 events \(up to position \d+\)\n$/);
  });

  it('shows, reverts and runs the migrations, and refuses to revert the baseline', async () => {
    const shown = await cli.run('migrations', 'show');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toBe(
      '[X] ReadModelBaseline1765100000000\n[X] ProjectionVersions1765100000001\n[X] AnalyticsPerLearner1765100000002\n' +
        '[X] Ob3ApiOAuth1765100000003\n',
    );
    for (const last of [
      'Ob3ApiOAuth1765100000003',
      'AnalyticsPerLearner1765100000002',
      'ProjectionVersions1765100000001',
    ])
      expect(await cli.run('migrations', 'revert')).toMatchObject({ code: 0, stdout: `reverted ${last}\n` });
    expect((await cli.run('migrations', 'show')).stdout).toContain('[ ] ProjectionVersions1765100000001');
    const refused = await cli.run('migrations', 'revert');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('the baseline migration is not reverted');
    expect((await cli.run('migrations', 'show')).stdout).toContain('[X] ReadModelBaseline1765100000000');
    expect(await cli.run('migrations', 'run')).toMatchObject({
      code: 0,
      stdout:
        'ran ProjectionVersions1765100000001\nran AnalyticsPerLearner1765100000002\nran Ob3ApiOAuth1765100000003\n',
    });
    expect(await cli.run('migrations', 'run')).toMatchObject({ code: 0, stdout: 'no migration pending\n' });
  });
});
