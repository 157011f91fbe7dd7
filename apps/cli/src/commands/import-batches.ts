import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ImportKind, ImportRow, RowResult } from '@app/application';
import type { OpenedEventStore, StorageLocation } from '@app/event-store';

/** What every importer of one run shares: the rows' kind, the actor, the instant decided at, the correlation id. */
export interface ImportSetup {
  readonly kind: ImportKind;
  readonly actorSub: string;
  readonly now: string;
  readonly correlationId: string;
}

/** Imports batches of rows, results in the order of the rows; in this thread or over worker threads. */
export interface BatchImporter {
  importBatch(rows: readonly ImportRow[]): Promise<RowResult[]>;
  close(): Promise<void>;
}

/**
 * The record importer over opened stores, in this thread: what `--workers 1` runs, and what each worker runs (a worker
 * opens the event store only: the read side's module, and TypeORM, are loaded once an award is to be indexed).
 */
export async function localImporter(storage: OpenedEventStore, setup: ImportSetup): Promise<BatchImporter> {
  // The modules themselves, not the library's index: a worker starts sooner without the rest of the application.
  const { RecordImporter } = await import('@app/application/import/record-import');
  const { StreamCommands } = await import('@app/application/stream-commands');
  const importer = new RecordImporter(storage.store, new StreamCommands(storage.store), {
    ...setup,
    // Awards are indexed at once, so their credentials answer before a projection runs without a long tail to read.
    afterAppend: async (events) => {
      if (!events.some((event) => event.type === 'AchievementAwarded')) return;
      const { awardLocationOf, indexAwards } = await import('@app/read-models/award-index.projection');
      await indexAwards(
        storage.sql.query,
        events.flatMap((event) => awardLocationOf(event) ?? []),
      );
    },
  });
  return { importBatch: (rows) => importer.importBatch(rows), close: async () => undefined };
}

/** The worker's script, beside this file in the build; absent when the CLI runs from its TypeScript sources. */
export const WORKER_SCRIPT = join(__dirname, 'import-worker.js');
export const workersAvailable = () => existsSync(WORKER_SCRIPT);

/** What a worker is started with. */
export interface WorkerSetup {
  readonly location: StorageLocation;
  readonly setup: ImportSetup;
}

export type ToWorker =
  { readonly type: 'batch'; readonly id: number; readonly rows: readonly ImportRow[] } | { readonly type: 'close' };
export type FromWorker =
  | { readonly type: 'ready' }
  | { readonly type: 'results'; readonly id: number; readonly results: RowResult[] }
  | { readonly type: 'failed'; readonly id?: number; readonly message: string };

/**
 * Importers in `count` worker threads, each with its own connections, over disjoint learners: a row goes to the worker
 * its learner id hashes to, so every stream of a learner (a record, and the prerequisites an award reads) is written by
 * one worker only, in the order of the file. The workers need no coordination: each batch append checks each stream's
 * expected revision and the ids it claims, so exactly-once and each stream's hash chain hold as in one thread.
 */
export async function workerImporter(setup: WorkerSetup, count: number): Promise<BatchImporter> {
  const workers = Array.from({ length: count }, () => new Worker(WORKER_SCRIPT, { workerData: setup }));
  const pending = new Map<number, { resolve: (results: RowResult[]) => void; reject: (error: Error) => void }>();
  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure ??= error;
    for (const waiting of pending.values()) waiting.reject(failure);
    pending.clear();
  };
  const exited = new Set<Worker>();
  const ready = workers.map(
    (worker) =>
      new Promise<void>((resolve, reject) => {
        worker.on('message', (message: FromWorker) => {
          if (message.type === 'ready') resolve();
          else if (message.type === 'results') {
            pending.get(message.id)?.resolve(message.results);
            pending.delete(message.id);
          } else {
            const error = new Error(message.message);
            reject(error);
            fail(error);
          }
        });
        worker.on('error', (error) => {
          reject(error);
          fail(error);
        });
        worker.on('exit', (code) => {
          exited.add(worker);
          const error = new Error(`an import worker stopped (exit code ${code})`);
          reject(error);
          if (pending.size > 0) fail(error);
        });
      }),
  );
  try {
    await Promise.all(ready);
  } catch (error) {
    await Promise.all(workers.map((worker) => worker.terminate()));
    throw error;
  }
  let nextId = 0;
  let closing: Promise<void> | undefined;
  const send = (worker: Worker, rows: ImportRow[]) =>
    new Promise<RowResult[]>((resolve, reject) => {
      if (failure) return reject(failure);
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ type: 'batch', id, rows } satisfies ToWorker);
    });
  return {
    importBatch: async (rows) => {
      const parts = workers.map(() => ({ rows: [] as ImportRow[], indexes: [] as number[] }));
      rows.forEach((row, index) => {
        const part = parts[workerOf(row.fields.learnerId, count)];
        part.rows.push(row);
        part.indexes.push(index);
      });
      const results = new Array<RowResult>(rows.length);
      await Promise.all(
        parts.map(async (part, index) => {
          if (part.rows.length === 0) return;
          const got = await send(workers[index], part.rows);
          got.forEach((result, at) => (results[part.indexes[at]] = result));
        }),
      );
      return results;
    },
    close: () => {
      closing ??= Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve) => {
              if (exited.has(worker)) return resolve();
              worker.once('exit', () => resolve());
              worker.postMessage({ type: 'close' } satisfies ToWorker);
            }),
        ),
      ).then(() => undefined);
      return closing;
    },
  };
}

/** The worker of a learner: FNV-1a of the id as the importer reads it (trimmed). */
export function workerOf(learnerId: string | undefined, count: number): number {
  const text = learnerId?.trim() ?? '';
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
  return (hash >>> 0) % count;
}
