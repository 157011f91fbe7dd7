/**
 * A worker thread of `tessera import --workers N`: opens its own connection to the event store, then imports the batches of rows it is sent, answering each with its rows' results.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { OpenedEventStore } from '@app/event-store';
import type { BatchImporter, FromWorker, ToWorker, WorkerSetup } from './import-batches';

async function main(): Promise<void> {
  const port = parentPort!;
  const { location, setup } = workerData as WorkerSetup;
  const { openEventStore } = await import('@app/event-store');
  const { localImporter } = await import('./import-batches');
  const post = (message: FromWorker) => port.postMessage(message);
  let storage: OpenedEventStore;
  let importer: BatchImporter;
  try {
    storage = await openEventStore(location);
    importer = await localImporter(storage, setup);
  } catch (error) {
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  post({ type: 'ready' });
  port.on('message', (message: ToWorker) => {
    if (message.type === 'close') {
      void storage.close().finally(() => port.close());
      return;
    }
    importer.importBatch(message.rows).then(
      (results) => post({ type: 'results', id: message.id, results }),
      (error: unknown) =>
        post({ type: 'failed', id: message.id, message: error instanceof Error ? error.message : String(error) }),
    );
  });
}

void main();
