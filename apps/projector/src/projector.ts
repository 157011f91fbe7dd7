import { exitWith, loadConfigOrExit, openOrExit } from '@app/config';
import { openEventStore } from '@app/event-store';
import { projectionsFor } from '@app/application';
import { ProjectionRunner } from '@app/read-models';
import pino from 'pino';

const log = pino({ name: 'tessera-projector' });

/**
 * Runs every projection as its own process, tailing the store from each stored checkpoint.
 * Used with a database server; on the embedded default the api runs projections in-process.
 */
export async function startProjector(): Promise<void> {
  const program = 'tessera projector';
  const config = loadConfigOrExit(program);
  if (config.storage.database.kind === 'pglite')
    exitWith(
      program,
      'the projector needs DATABASE_URL: embedded PGlite belongs to one process, so there the api runs projections inline',
    );
  const storage = await openOrExit(program, config, () => openEventStore(config.storage));
  const projections = projectionsFor(storage.store, (message) => log.warn(message));
  const runner = new ProjectionRunner(storage.store, storage.sql, projections, {
    onError: (projection, error) => log.error({ projection, err: error }, 'projection failed; retrying'),
  });
  await runner.start();
  log.info({ projections: projections.map((projection) => projection.name) }, 'projector tailing the store');

  const stop = async (signal: string) => {
    log.info({ signal }, 'projector stopping');
    await runner.stop();
    await storage.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
