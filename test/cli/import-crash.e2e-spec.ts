import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pgSqlClient } from '@app/event-store';
import { type CliHarness, REPO, startCli } from './cli-harness';
import { childEnv } from '../support/child-env';

/**
 * NEEDS A BUILD: this test spawns the compiled CLI (`node bin/tessera.js`, i.e. dist/), so that it can kill it with
 * SIGKILL half-way through an import. `npm test` builds first (pretest). To run it alone against a build elsewhere,
 * set TESSERA_CLI_MAIN to that build's apps/cli/src/main.js.
 */
const CLI_MAIN = process.env.TESSERA_CLI_MAIN ?? join(REPO, 'bin/tessera.js');
const ROWS = 40_000;
const ACHIEVEMENTS: Array<[string, string]> = [
  ['sql-querying', 'joins'],
  ['data-modelling', 'erd'],
  ['data-governance', 'principles'],
  ['professional-ethics', 'acts'],
];

describe('tessera import killed with SIGKILL half-way (spawned; needs the build)', () => {
  let cli: CliHarness;
  beforeAll(async () => {
    if (!existsSync(join(REPO, 'dist/apps/cli/src/main.js')) && !process.env.TESSERA_CLI_MAIN)
      throw new Error('dist/ is missing: this test runs the built CLI; run it through `npm test`, which builds first');
    cli = await startCli();
    expect((await cli.run('catalogue', 'import', 'examples/catalogue.yaml')).code).toBe(0);
  });
  afterAll(() => cli?.close());

  const query = async <Row extends object>(sql: string) => {
    const client = pgSqlClient(cli.database.url);
    try {
      return await client.query<Row>(sql);
    } finally {
      await client.close();
    }
  };
  // Each case has learners of its own (`w<workers>-learner-…`), so their records are counted apart.
  const recordEvents = async (workers: string) =>
    Number(
      (
        await query<{ n: string }>(
          `SELECT count(*)::text AS n FROM tessera_events WHERE stream_name LIKE 'record-w${workers}-%'`,
        )
      )[0].n,
    );

  it.each(['1', '2'])(
    'completes on a re-run with every row exactly once and the hash chains intact (--workers %s)',
    async (workers) => {
      const lines = ['evidenceRef,learnerId,achievementId,kind,criterionIds,description,observedAt'];
      for (let row = 0; row < ROWS; row++) {
        const [achievement, criterion] = ACHIEVEMENTS[row % ACHIEVEMENTS.length];
        // Two rows per record stream on average, so that rows of one stream meet in a batch and across batches.
        lines.push(
          `crash-w${workers}-${row},w${workers}-learner-${Math.floor(row / 8)},${achievement},accomplishment,${criterion},Row ${row},2026-04-01T10:00:00Z`,
        );
      }
      const file = join(cli.dir, `crash-${workers}.csv`);
      writeFileSync(file, `${lines.join('\n')}\n`);

      const args = ['import', 'evidence', file, '--quiet', '--batch', '500', '--workers', workers];
      const child = spawn(process.execPath, [CLI_MAIN, ...args], {
        env: childEnv(cli.env),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      let running = true;
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child.once('exit', (code, signal) => {
          running = false;
          resolve({ code, signal });
        }),
      );
      // Kill it once some batches are in, but not all.
      let seen = 0;
      const deadline = Date.now() + 60_000;
      while (running && seen < 2_000 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        seen = await recordEvents(workers);
      }
      child.kill('SIGKILL');
      const { signal } = await exited;
      expect(stderr).toBe('');
      expect(signal).toBe('SIGKILL');
      const partial = await recordEvents(workers);
      expect(partial).toBeGreaterThan(0);
      expect(partial).toBeLessThan(ROWS);

      // The re-run in this process (from the sources: one worker) after a kill of one or several workers.
      const rerun = await cli.run('import', 'evidence', file, '--quiet', '--batch', '500');
      expect(rerun.stderr).toBe('');
      expect(rerun.code).toBe(0);
      expect(rerun.stdout).toContain(
        `${ROWS} rows: ${ROWS - partial} appended, ${partial} already present, 0 rejected`,
      );
      expect(await recordEvents(workers)).toBe(ROWS);
      const duplicates = await query(
        `SELECT metadata->>'commandId' AS command FROM tessera_events WHERE stream_name LIKE 'record-w${workers}-%'
       GROUP BY 1 HAVING count(*) > 1`,
      );
      expect(duplicates).toEqual([]);
      const audit = await cli.run('audit', 'verify', '--json');
      expect(JSON.parse(audit.stdout)).toMatchObject({ ok: true, broken: [] });
    },
    180_000,
  );
});
