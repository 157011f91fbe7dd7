import { InMemoryEventStore, type NewEvent, WrongExpectedVersion } from '@app/event-store';
import { ConcurrencyConflict } from './application.errors';
import { eventHash, GENESIS_HASH } from './audit/hash-chain';
import type { CommandContext } from './command-context';
import { type Aggregate, StreamCommands } from './stream-commands';

type Counted = { type: 'Counted'; data: { schemaVersion: 1; n: number } };
const counter: Aggregate<number, Counted> = { initialState: () => 0, evolve: (total, event) => total + event.data.n };
const metadata = (commandId: string): CommandContext => ({
  commandId,
  correlationId: commandId,
  actor: { sub: 'tester', roles: ['admin'], issuers: [] },
  now: '2026-03-01T10:00:00.000Z',
});
const count = (n: number): Counted[] => [{ type: 'Counted', data: { schemaVersion: 1, n } }];

/** A store where someone else always appends first. */
class ContendedStore extends InMemoryEventStore {
  override async appendToStream(stream: string, _events: readonly NewEvent[]): Promise<never> {
    throw new WrongExpectedVersion(stream, 0n, 1n);
  }
}

describe('StreamCommands', () => {
  it('reads, folds, decides and appends with the metadata of the command', async () => {
    const store = new InMemoryEventStore();
    const commands = new StreamCommands(store);
    await commands.execute('counter-1', counter, metadata('00000000-0000-4000-8000-000000000001'), () => count(2));
    const seen: number[] = [];
    await commands.execute('counter-1', counter, metadata('00000000-0000-4000-8000-000000000002'), (total) => {
      seen.push(total);
      return count(3);
    });
    expect(seen).toEqual([2]);
    const [first] = await store.readStream('counter-1');
    expect(first.metadata).toEqual({
      commandId: '00000000-0000-4000-8000-000000000001',
      correlationId: '00000000-0000-4000-8000-000000000001',
      causationId: '00000000-0000-4000-8000-000000000001',
      actor: { sub: 'tester', roles: ['admin'] },
      occurredAt: '2026-03-01T10:00:00.000Z',
      prevHash: GENESIS_HASH,
      hash: eventHash(GENESIS_HASH, first),
    });
    expect(await commands.load('counter-1', counter)).toBe(5);
  });

  it('answers a command it has already applied with its stored events, without deciding again', async () => {
    const store = new InMemoryEventStore();
    const commands = new StreamCommands(store);
    const first = await commands.execute('counter-2', counter, metadata('00000000-0000-4000-8000-000000000003'), () =>
      count(7),
    );
    const decide = jest.fn(() => count(100));
    const again = await commands.execute(
      'counter-2',
      counter,
      metadata('00000000-0000-4000-8000-000000000003'),
      decide,
    );
    expect(decide).not.toHaveBeenCalled();
    expect(again).toEqual(first);
    expect(await store.readStream('counter-2')).toHaveLength(1);
  });

  it('appends nothing when the decision is no events, and answers with the tail position', async () => {
    const store = new InMemoryEventStore();
    const commands = new StreamCommands(store);
    const first = await commands.execute('counter-5', counter, metadata('00000000-0000-4000-8000-000000000005'), () =>
      count(1),
    );
    const nothing = await commands.execute(
      'counter-5',
      counter,
      metadata('00000000-0000-4000-8000-000000000006'),
      () => [],
    );
    expect(nothing).toEqual({ events: [], position: first.position });
    expect(await store.readStream('counter-5')).toHaveLength(1);
  });

  it("links every appended event into its stream's hash chain, across commands", async () => {
    const store = new InMemoryEventStore();
    const commands = new StreamCommands(store);
    await commands.execute('counter-4', counter, metadata('00000000-0000-4000-8000-000000000005'), () => [
      ...count(1),
      ...count(2),
    ]);
    await commands.execute('counter-4', counter, metadata('00000000-0000-4000-8000-000000000006'), () => count(3));
    const events = await store.readStream('counter-4');
    expect(events).toHaveLength(3);
    let previous = GENESIS_HASH;
    for (const event of events) {
      expect(event.metadata.prevHash).toBe(previous);
      expect(event.metadata.hash).toBe(eventHash(previous, event));
      previous = event.metadata.hash as string;
    }
  });

  it('chains onto the new tail when a concurrent append moved it', async () => {
    const store = new InMemoryEventStore();
    const commands = new StreamCommands(store);
    await commands.execute('counter-5', counter, metadata('00000000-0000-4000-8000-000000000007'), () => count(1));
    let raced = false;
    await commands.execute('counter-5', counter, metadata('00000000-0000-4000-8000-000000000008'), async () => {
      if (!raced) {
        raced = true;
        await commands.execute('counter-5', counter, metadata('00000000-0000-4000-8000-000000000009'), () => count(10));
      }
      return count(2);
    });
    const events = await store.readStream('counter-5');
    expect(events.map((event) => event.data.n)).toEqual([1, 10, 2]);
    expect(events[2].metadata.prevHash).toBe(events[1].metadata.hash);
    expect(events[1].metadata.prevHash).toBe(events[0].metadata.hash);
  });

  it('retries a concurrency conflict a bounded number of times, then answers 409', async () => {
    const decide = jest.fn(() => count(1));
    const commands = new StreamCommands(new ContendedStore());
    await expect(
      commands.execute('counter-3', counter, metadata('00000000-0000-4000-8000-000000000004'), decide),
    ).rejects.toBeInstanceOf(ConcurrencyConflict);
    expect(decide).toHaveBeenCalledTimes(5);
  });
});
