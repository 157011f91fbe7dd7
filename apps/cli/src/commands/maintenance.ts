import type { Command } from 'commander';
import { EXIT, type CliIo } from '../io';
import { progressBar, withStore } from '../session';

/** `tessera audit verify` and `tessera projections rebuild`: checking and rebuilding what the ledger derives. */
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
        const { PROJECTIONS, rebuildProjections } = await import('@app/read-models');
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
          bar.stop();
          io.out(
            `rebuilt ${PROJECTIONS.length} read models from ${result.events} events (up to position ${result.position})\n`,
          );
        } finally {
          bar.stop();
        }
      }),
    );
}
