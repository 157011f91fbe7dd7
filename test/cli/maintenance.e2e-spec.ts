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
});
