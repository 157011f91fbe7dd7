import type { Command } from 'commander';

/** `tessera serve` and `tessera projector`: the long-running processes. */
export function registerServerCommands(program: Command): void {
  program
    .command('serve')
    .description('start the HTTP API (embedded PGlite unless DATABASE_URL is set; see the README for configuration)')
    .action(async () => {
      await import('reflect-metadata');
      const { startApi } = await import('../../../api/src/start-api');
      await startApi();
    });

  program
    .command('projector')
    .description('run the projections as their own process (needs DATABASE_URL)')
    .action(async () => {
      const { startProjector } = await import('../../../projector/src/projector');
      await startProjector();
    });
}
