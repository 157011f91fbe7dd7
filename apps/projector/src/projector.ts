import { exitWith, loadConfigOrExit, openOrExit } from '@app/config';
import type { OpenedEventStore } from '@app/event-store';
import { Background } from '@app/application';
import { listFailures, openStorage } from '@app/read-models';
import { writeFile } from 'node:fs/promises';
import pino from 'pino';

const log = pino({ name: 'tessera-projector' });

/**
 * The heartbeat file is touched while the projector runs, both its stores answer and no projection is marked failed:
 * the container's health check is the file's age (the projector serves no HTTP to ask).
 */
const HEARTBEAT_MS = 5000;

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
  const storage = await openOrExit(program, config, () => openStorage(config.storage));
  const background = new Background(storage, config, {
    warn: (message) => log.warn(message),
    error: (message) => log.error(message),
  });
  await background.start();
  log.info({ projections: background.projections }, 'projector tailing the store');
  const beatNow = () => beat(storage, config.projectorHeartbeatFile);
  const heartbeat = setInterval(() => void beatNow(), HEARTBEAT_MS);
  await beatNow();

  const stop = async (signal: string) => {
    log.info({ signal }, 'projector stopping');
    clearInterval(heartbeat);
    await background.stop();
    await storage.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

/** Why the last beat was withheld (undefined: it was written), so that each change is logged once. */
let withheld: string | undefined;

async function beat(storage: OpenedEventStore, file: string): Promise<void> {
  const reason =
    (await heartbeatWithheldBecause(storage)) ??
    (await writeFile(file, new Date().toISOString()).then(
      () => undefined,
      (error: Error) => `the heartbeat file ${file} cannot be written (${error.message})`,
    ));
  if (reason === withheld) return;
  if (reason) log.warn(`${reason}: the heartbeat stops until it does not`);
  else log.info('the heartbeat goes on');
  withheld = reason;
}

/** Why the projector must not claim to be healthy now: a store does not answer, or a projection is marked failed. */
export async function heartbeatWithheldBecause(storage: OpenedEventStore): Promise<string | undefined> {
  const [events, failures] = await Promise.all([
    storage.store.ping().catch(() => false),
    listFailures(storage.sql.query).catch(() => undefined),
  ]);
  if (!events || failures === undefined)
    return `a store does not answer (events: ${events}, database: ${failures !== undefined})`;
  if (failures.length > 0)
    return `projection ${failures.map((failure) => `${failure.projection} at position ${failure.position}`).join(', ')} is marked failed`;
  return undefined;
}
