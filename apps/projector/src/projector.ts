import { exitWith, loadConfigOrExit, openOrExit } from '@app/config';
import { openEventStore } from '@app/event-store';
import { Background } from '@app/application';
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
  const background = new Background(storage, config, {
    warn: (message) => log.warn(message),
    error: (message) => log.error(message),
  });
  await background.start();
  log.info({ projections: background.projections }, 'projector tailing the store');

  const stop = async (signal: string) => {
    log.info({ signal }, 'projector stopping');
    await background.stop();
    await storage.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
