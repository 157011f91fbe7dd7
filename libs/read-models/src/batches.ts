/**
 * Groups an async stream into batches: a batch closes when it is full or when no item arrived for
 * `quietMs`, so a burst is written in one transaction and a lone event is not kept waiting.
 */
export async function* batches<T>(source: AsyncIterable<T>, maxSize: number, quietMs: number): AsyncGenerator<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<T>> | undefined;
  let batch: T[] = [];
  for (;;) {
    pending ??= iterator.next();
    const next = batch.length === 0 ? await pending : await Promise.race([pending, delay(quietMs)]);
    if (next === undefined) {
      yield batch;
      batch = [];
      continue;
    }
    pending = undefined;
    if (next.done) {
      if (batch.length > 0) yield batch;
      return;
    }
    batch.push(next.value);
    if (batch.length >= maxSize) {
      yield batch;
      batch = [];
    }
  }
}

function delay(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms));
}
