import type { Command } from 'commander';
import { EXIT, type CliIo } from '../io';
import { progressBar, withStore } from '../session';

/**
 * `tessera audit verify`, `tessera projections rebuild` and `tessera migrations`: checking and rebuilding what the
 * ledger derives, and the read side's schema.
 */
export function registerMaintenanceCommands(program: Command, io: CliIo): void {
  program
    .command('audit')
    .description('check the audit trail')
    .command('verify')
    .description("replay every stream and check its hash chain; exit 1 naming each broken stream's first broken link")
    .option('--json', 'print the report as JSON ({ ok, streams, events, broken })')
    .option('--quiet', 'no progress bar')
    .action((options: { json?: boolean; quiet?: boolean }) =>
      withStore(io, 'tessera audit verify', async (storage) => {
        const { verifyAudit } = await import('@app/application');
        // The total is not known without a second pass over the store: the bar counts events as they are checked.
        const bar = progressBar(
          io,
          'verifying |{spinner}| {value} events, {streams} streams, {broken} broken',
          options.quiet,
        );
        const spinner = ['-', '\\', '|', '/'];
        let pages = 0;
        bar.start(0, { spinner: spinner[0], streams: 0, broken: 0 });
        try {
          const report = await verifyAudit(storage.store, {
            onProgress: (progress) => {
              bar.setTotal(progress.events);
              bar.update(progress.events, { ...progress, spinner: spinner[++pages % spinner.length] });
            },
          });
          bar.stop();
          if (options.json) io.out(`${JSON.stringify(report)}\n`);
          else {
            for (const link of report.broken)
              io.out(`broken: ${link.stream} at revision ${link.revision}: ${link.reason}\n`);
            const verdict = report.ok ? 'ok' : `${report.broken.length} broken`;
            io.out(`${report.streams} streams, ${report.events} events: ${verdict}\n`);
          }
          io.exitCode = report.ok ? EXIT.ok : EXIT.failed;
        } finally {
          bar.stop();
        }
      }),
    );

  program
    .command('projections')
    .description('the read models')
    .command('rebuild')
    .description('rebuild every read model from the start of the store into fresh tables, then swap them in')
    .option('--quiet', 'no progress bar')
    .action((options: { quiet?: boolean }) =>
      withStore(io, 'tessera projections rebuild', async (storage, config) => {
        const { notifyEveryLearnerChanged, PROJECTIONS, rebuildProjections } = await import('@app/read-models');
        // With the events in PostgreSQL the total is one count away; with EventStoreDB the bar grows as it reads.
        const total = config.storage.eventStoreUrl
          ? 0
          : Number((await storage.sql.query<{ n: string }>('SELECT count(*)::text AS n FROM tessera_events'))[0].n);
        const bar = progressBar(io, 'rebuilding |{bar}| {value}/{total} events', options.quiet);
        bar.start(total);
        let known = total;
        try {
          const result = await rebuildProjections(storage.store, storage.sql, PROJECTIONS, ({ events }) => {
            if (events > known) bar.setTotal((known = events));
            bar.update(events);
          });
          // The running apis' caches of answers read from the old tables forget them all.
          await notifyEveryLearnerChanged(storage.sql.query);
          bar.stop();
          io.out(
            `rebuilt ${PROJECTIONS.length} read models from ${result.events} events (up to position ${result.position})\n`,
          );
        } finally {
          bar.stop();
        }
      }),
    );

  registerMigrationCommands(program, io);
}

/** `tessera migrations show|run|revert`: the read side's TypeORM migrations (opening the api or the CLI runs them too). */
function registerMigrationCommands(program: Command, io: CliIo): void {
  const migrations = program.command('migrations').description("the read side's schema migrations");
  const unmigrated = { migrate: false };
  migrations
    .command('show')
    .description('list every migration, [X] run or [ ] pending')
    .action(() =>
      withStore(
        io,
        'tessera migrations show',
        async (storage) => {
          const { migrationStates } = await import('@app/read-models');
          for (const state of await migrationStates(storage.dataSource))
            io.out(`${state.applied ? '[X]' : '[ ]'} ${state.name}\n`);
        },
        unmigrated,
      ),
    );
  migrations
    .command('run')
    .description('run the pending migrations, in one transaction')
    .action(() =>
      withStore(
        io,
        'tessera migrations run',
        async (storage) => {
          const { runMigrationsLocked } = await import('@app/read-models');
          const applied = await runMigrationsLocked(storage.dataSource, storage.sql);
          io.out(applied.length ? applied.map((name) => `ran ${name}\n`).join('') : 'no migration pending\n');
        },
        unmigrated,
      ),
    );
  migrations
    .command('revert')
    .description('revert the last migration run (the api and the CLI run it again when they next open the database)')
    .action(() =>
      withStore(
        io,
        'tessera migrations revert',
        async (storage) => {
          const { revertLastMigration } = await import('@app/read-models');
          const reverted = await revertLastMigration(storage.dataSource, storage.sql);
          io.out(reverted ? `reverted ${reverted}\n` : 'no migration to revert\n');
          io.exitCode = reverted ? EXIT.ok : EXIT.failed;
        },
        unmigrated,
      ),
    );
}
