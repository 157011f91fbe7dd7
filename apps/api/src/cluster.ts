import cluster, { type Worker } from 'node:cluster';
import type { AddressInfo } from 'node:net';

/** A worker that dies is forked again after this, doubling for each death in a row up to the longest. */
const FIRST_RESTART_MS = 500;
const LONGEST_RESTART_MS = 30_000;
/** A worker that ran this long before it died is taken to have been healthy: its slot's backoff starts over. */
const HEALTHY_AFTER_MS = 30_000;
/** How long workers are given to close (finish requests, stop projections, close pools) before they are killed. */
const STOP_GRACE_MS = 10_000;

/** One line per change in the workers' state: the primary runs no Nest app, so it writes its own. */
const say = (line: string) => process.stdout.write(`tessera primary (pid ${process.pid}): ${line}\n`);

/**
 * The primary of `TESSERA_WORKERS=N`: forks N api workers that share the port (node:cluster hands connections out
 * round robin) and opens no store itself. A worker that dies is forked again with backoff; SIGTERM or SIGINT stops
 * every worker and then the primary. Answers the port once the first worker listens.
 */
export function superviseWorkers(count: number): Promise<number> {
  const slots = new Map<Worker, { slot: number; forkedAt: number }>();
  const restartDelays = Array.from({ length: count }, () => FIRST_RESTART_MS);
  let stopping = false;
  let listened = false;

  const fork = (slot: number) => {
    const worker = cluster.fork({ TESSERA_WORKER_SLOT: String(slot + 1) });
    slots.set(worker, { slot, forkedAt: Date.now() });
  };

  cluster.on('exit', (worker, code, signal) => {
    const started = slots.get(worker);
    slots.delete(worker);
    if (!started) return;
    if (stopping) {
      if (slots.size === 0) say('every worker has stopped');
      return;
    }
    const { slot, forkedAt } = started;
    if (!listened) {
      // No worker ever started (the store cannot be opened, the port is taken): it said why; the start failed.
      stopping = true;
      for (const other of slots.keys()) other.process.kill('SIGKILL');
      process.exit(1);
    }
    if (Date.now() - forkedAt >= HEALTHY_AFTER_MS) restartDelays[slot] = FIRST_RESTART_MS;
    const delay = restartDelays[slot];
    restartDelays[slot] = Math.min(delay * 2, LONGEST_RESTART_MS);
    say(
      `worker ${slot + 1} (pid ${worker.process.pid}) died (${signal ? `signal ${signal}` : `exit code ${code}`}); ` +
        `forking it again in ${delay} ms`,
    );
    // Not unref'd: with every worker dead, this timer is what keeps the primary alive to fork again.
    setTimeout(() => {
      if (!stopping) fork(slot);
    }, delay);
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping ${slots.size} worker(s)`);
    for (const worker of slots.keys()) worker.process.kill('SIGTERM');
    const killer = setTimeout(() => {
      for (const worker of slots.keys()) worker.process.kill('SIGKILL');
    }, STOP_GRACE_MS);
    const finish = () => {
      if (slots.size > 0) return;
      clearTimeout(killer);
      // Ends by the signal, as a single api process does once Nest has closed it.
      process.kill(process.pid, signal);
    };
    cluster.on('exit', finish);
    finish();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));

  const listening = new Promise<number>((resolve) => {
    cluster.once('listening', (_worker, address: AddressInfo) => {
      listened = true;
      say(`${count} worker(s) listening on http://localhost:${address.port}`);
      resolve(address.port);
    });
  });
  for (let slot = 0; slot < count; slot++) fork(slot);
  return listening;
}

/**
 * In a worker: names it in its log line and, unless PGAPPNAME says otherwise, in its connections' application_name,
 * so that pg_stat_activity and pg_locks show which process holds which connection and owns which projection.
 * Answers how the worker calls itself, or undefined outside a cluster.
 */
export function nameWorker(): string | undefined {
  if (!cluster.isWorker) return undefined;
  const name = `worker ${process.env.TESSERA_WORKER_SLOT} (pid ${process.pid})`;
  process.env.PGAPPNAME ||= `tessera api ${name}`;
  return name;
}
