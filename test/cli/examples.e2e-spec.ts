import { PostgresEventStore, pgSqlClient } from '@app/event-store';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CliHarness, REPO, runIn, startCli } from './cli-harness';

/** The shipped examples, through the CLI as a newcomer would run them. */
describe('tessera with the examples', () => {
  let cli: CliHarness;
  beforeAll(async () => {
    cli = await startCli();
  });
  afterAll(() => cli?.close());

  const eventCount = async () => {
    const sql = pgSqlClient(cli.database.url);
    try {
      return Number((await sql.query<{ n: string }>('SELECT count(*)::text AS n FROM tessera_events'))[0].n);
    } finally {
      await sql.close();
    }
  };

  it('imports the catalogue and the CSVs, and shows the learner who completed the certificate', async () => {
    const catalogue = await cli.run('catalogue', 'import', 'examples/catalogue.yaml');
    expect(catalogue.stderr).toBe('');
    expect(catalogue.code).toBe(0);
    expect(catalogue.stdout).toContain('10 items: 10 defined, 0 revised, 0 unchanged, 0 rejected');
    for (const kind of ['evidence', 'assessments', 'awards']) {
      const loaded = await cli.run(
        'import',
        kind,
        `examples/${kind}.csv`,
        '--rejects',
        `${cli.dir}/${kind}.rejects.csv`,
      );
      expect(loaded.stderr).toBe('');
      expect(loaded.code).toBe(0);
      expect(loaded.stdout).toMatch(/rows: \d+ appended, 0 already present, 0 rejected/);
    }
    const transcript = await cli.run('transcript', 'ada-lovelace', '--format', 'json');
    expect(transcript.code).toBe(0);
    const parsed = JSON.parse(transcript.stdout) as { awards: Array<{ achievementId: string; status: string }> };
    expect(parsed.awards.map((award) => award.achievementId).sort()).toEqual([
      'data-governance',
      'data-modelling',
      'pipeline-engineering',
      'professional-ethics',
      'sql-querying',
    ]);
    expect(parsed.awards.every((award) => award.status === 'valid')).toBe(true);
    const store = await PostgresEventStore.open(pgSqlClient(cli.database.url));
    expect(await store.readStreams(['record-grace-hopper~data-modelling'])).toHaveProperty('size', 1);
    await store.close();
    expect(await eventCount()).toBeGreaterThan(30);
  });

  it('runs the same walkthrough on the embedded default (PGlite in the data folder), and frees the folder after', async () => {
    const env = { TESSERA_DATA_DIR: mkdtempSync(join(tmpdir(), 'tessera-cli-pglite-')) };
    const run = (...args: string[]) => runIn(env, REPO, args);
    expect((await run('catalogue', 'import', 'examples/catalogue.yaml')).code).toBe(0);
    for (const kind of ['evidence', 'assessments', 'awards']) {
      const loaded = await run(
        'import',
        kind,
        `examples/${kind}.csv`,
        '--rejects',
        join(env.TESSERA_DATA_DIR, 'r.csv'),
      );
      expect(loaded.stderr).toBe('');
      expect(loaded.code).toBe(0);
    }
    const transcript = await run('transcript', 'alan-turing');
    expect(transcript.code).toBe(0);
    expect(transcript.stdout).toContain('Credit over valid awards: 10 ECTS');
    expect(existsSync(join(env.TESSERA_DATA_DIR, 'pglite.lock'))).toBe(false);
  }, 120_000);
});
