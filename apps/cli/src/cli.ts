import { Command } from 'commander';

/** The `tessera` command line. Later commands (import, transcript, audit, token) join here. */
export function buildCli(): Command {
  const program = new Command()
    .name('tessera')
    .description('Tessera: an event-sourced ledger of micro-credentials')
    .version('0.1.0')
    .showHelpAfterError();

  program
    .command('serve')
    .description('start the HTTP API (embedded PGlite unless DATABASE_URL is set; see the README for configuration)')
    .action(async () => {
      await import('reflect-metadata');
      const { startApi } = await import('../../api/src/start-api');
      await startApi();
    });

  program
    .command('projector')
    .description('run the projections as their own process (needs DATABASE_URL)')
    .action(async () => {
      const { startProjector } = await import('../../projector/src/projector');
      await startProjector();
    });

  return program;
}
