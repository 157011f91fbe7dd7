import { ConfigError, describeStartupFailure, loadConfig } from '@app/config';
import { openEventStore } from '@app/event-store';
import { PROJECTIONS, ProjectionRunner } from '@app/read-models';
import pino from 'pino';

const log = pino({ name: 'tessera-projector' });

/**
 * Runs every projection as its own process, tailing the store from each stored checkpoint.
 * Used with a database server; on the embedded default the api runs projections in-process.
 */
export async function startProjector(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) return fail(`configuration: ${error.message}`);
    throw error;
  }
  if (config.storage.database.kind === 'pglite')
    return fail(
      'the projector needs DATABASE_URL: embedded PGlite belongs to one process, so there the api runs projections inline',
    );

  let storage;
  try {
    storage = await openEventStore(config.storage);
  } catch (error) {
    return fail(describeStartupFailure(error, config.storage));
  }
  const runner = new ProjectionRunner(storage.store, storage.sql, PROJECTIONS, {
    onError: (projection, error) => log.error({ projection, err: error }, 'projection failed; retrying'),
  });
  await runner.start();
  log.info({ projections: PROJECTIONS.map((projection) => projection.name) }, 'projector tailing the store');

  const stop = async (signal: string) => {
    log.info({ signal }, 'projector stopping');
    await runner.stop();
    await storage.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

function fail(message: string): void {
  process.stderr.write(`tessera projector: ${message}\n`);
  process.exit(1);
}
