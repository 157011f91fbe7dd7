import type { EventStore, ReadAllOptions, RecordedEvent } from './event-store.port';

/** Every event `readAll` gives for these options, read page by page. */
export async function readAllEvents(
  store: EventStore,
  options: Omit<ReadAllOptions, 'maxCount'>,
  pageSize = 1000,
): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (let from = options.from; ;) {
    const page = await store.readAll({ ...options, from, maxCount: pageSize });
    events.push(...page);
    if (page.length < pageSize) return events;
    from = page[page.length - 1].position;
  }
}

/** Events grouped by stream, each stream's in the order given. */
export function groupByStream(events: readonly RecordedEvent[]): Map<string, RecordedEvent[]> {
  const byStream = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    const stream = byStream.get(event.stream);
    if (stream) stream.push(event);
    else byStream.set(event.stream, [event]);
  }
  return byStream;
}

/** Orders events (or what carries one) by global position, for `Array.prototype.sort`. */
export const byPosition = (a: Pick<RecordedEvent, 'position'>, b: Pick<RecordedEvent, 'position'>): number =>
  a.position < b.position ? -1 : a.position > b.position ? 1 : 0;
