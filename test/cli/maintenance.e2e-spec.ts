import { READ_SIDE_MIGRATIONS } from '@app/read-models';
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
    // Every migration but the baseline, newest first, as they are reverted
    const names = READ_SIDE_MIGRATIONS.map((migration) => migration.name);
    const [baseline, ...later] = names;
    const shown = await cli.run('migrations', 'show');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toBe(names.map((name) => `[X] ${name}\n`).join(''));
    for (const last of [...later].reverse())
      expect(await cli.run('migrations', 'revert')).toMatchObject({ code: 0, stdout: `reverted ${last}\n` });
    expect((await cli.run('migrations', 'show')).stdout).toBe(
      [`[X] ${baseline}\n`, ...later.map((name) => `[ ] ${name}\n`)].join(''),
    );
    const refused = await cli.run('migrations', 'revert');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('the baseline migration is not reverted');
    expect((await cli.run('migrations', 'show')).stdout).toContain(`[X] ${baseline}`);
    expect(await cli.run('migrations', 'run')).toMatchObject({
      code: 0,
      stdout: later.map((name) => `ran ${name}\n`).join(''),
    });
    expect(await cli.run('migrations', 'run')).toMatchObject({ code: 0, stdout: 'no migration pending\n' });
  });
});
