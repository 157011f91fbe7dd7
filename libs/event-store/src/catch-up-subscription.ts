import type { EventFilter, GlobalPosition, ReadAllOptions, RecordedEvent } from './event-store.port';

/** Wakes sleeping subscribers when this process appends, so they need not wait for the next poll. */
export class AppendSignal {
  private waiters = new Set<() => void>();

  notify(): void {
    const waiters = this.waiters;
    this.waiters = new Set();
    for (const wake of waiters) wake();
  }

  /** Resolves on the next notify, after `timeoutMs`, or when the signal aborts. */
  wait(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}

export interface CatchUpOptions {
  readonly from?: GlobalPosition;
  readonly filter?: EventFilter;
  readonly signal?: AbortSignal;
  readonly batchSize?: number;
  /** How long to sleep when caught up before asking the store again (other processes may append). */
  readonly pollIntervalMs?: number;
}

/**
 * A catch-up subscription over any store that can read its global order safely:
 * reads history in batches, then polls, waking early on appends made in this process.
 */
export async function* catchUp(
  readAll: (options: ReadAllOptions) => Promise<RecordedEvent[]>,
  appended: AppendSignal,
  options: CatchUpOptions,
): AsyncGenerator<RecordedEvent> {
  const batchSize = options.batchSize ?? 500;
  const pollIntervalMs = options.pollIntervalMs ?? 100;
  let from = options.from;
  while (!options.signal?.aborted) {
    const batch = await readAll({ from, maxCount: batchSize, filter: options.filter });
    for (const event of batch) {
      if (options.signal?.aborted) return;
      yield event;
      from = event.position;
    }
    if (batch.length < batchSize) await appended.wait(pollIntervalMs, options.signal);
  }
}

/** Whether an event of this stream and type passes the filter, for stores that filter in process. */
export function matchesFilter(stream: string, type: string, filter: EventFilter | undefined): boolean {
  if (!filter) return true;
  if ('streamPrefix' in filter) return [filter.streamPrefix].flat().some((prefix) => stream.startsWith(prefix));
  return filter.eventTypes.includes(type);
}
