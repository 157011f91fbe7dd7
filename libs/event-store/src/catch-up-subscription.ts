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
 * One read of a subscriber's feed: the events, and optionally how far the read looked — every event passing the filter
 * at or below `scannedTo` is among them (or before `from`), and none can appear there later.
 */
export interface FeedBatch {
  readonly events: readonly RecordedEvent[];
  readonly scannedTo?: GlobalPosition;
}

/**
 * A catch-up subscription over any store that can read its global order safely:
 * reads history in batches, then polls, waking early on appends made in this process. A short batch that says how far
 * it looked moves the next read past what it looked at, so that a subscriber whose filter rarely matches (a catalogue
 * of definitions beside a stream of records) does not read again, on every wake-up, all that it skipped since its last
 * event.
 */
export async function* catchUp(
  readFeed: (options: ReadAllOptions) => Promise<FeedBatch>,
  appended: AppendSignal,
  options: CatchUpOptions,
): AsyncGenerator<RecordedEvent> {
  const batchSize = options.batchSize ?? 500;
  const pollIntervalMs = options.pollIntervalMs ?? 100;
  let from = options.from;
  while (!options.signal?.aborted) {
    const { events, scannedTo } = await readFeed({ from, maxCount: batchSize, filter: options.filter });
    for (const event of events) {
      if (options.signal?.aborted) return;
      yield event;
      from = event.position;
    }
    if (events.length < batchSize) {
      if (scannedTo !== undefined && (from === undefined || scannedTo > from)) from = scannedTo;
      await appended.wait(pollIntervalMs, options.signal);
    }
  }
}

/** Whether an event of this stream and type passes the filter, for stores that filter in process. */
export function matchesFilter(stream: string, type: string, filter: EventFilter | undefined): boolean {
  if (!filter) return true;
  if ('streamPrefix' in filter) return [filter.streamPrefix].flat().some((prefix) => stream.startsWith(prefix));
  return filter.eventTypes.includes(type);
}
