import { InMemoryEventStore, type NewEvent, WrongExpectedVersion } from '@app/event-store';
import { ConcurrencyConflict } from './application.errors';
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

  it('retries a concurrency conflict a bounded number of times, then answers 409', async () => {
    const decide = jest.fn(() => count(1));
    const commands = new StreamCommands(new ContendedStore());
    await expect(
      commands.execute('counter-3', counter, metadata('00000000-0000-4000-8000-000000000004'), decide),
    ).rejects.toBeInstanceOf(ConcurrencyConflict);
    expect(decide).toHaveBeenCalledTimes(5);
  });
});
