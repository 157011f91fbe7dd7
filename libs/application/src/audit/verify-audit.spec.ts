import {
  type EventStore,
  InMemoryEventStore,
  type JsonObject,
  type ReadAllOptions,
  type RecordedEvent,
} from '@app/event-store';
import type { CommandContext } from '../command-context';
import { type Aggregate, StreamCommands } from '../stream-commands';
import { eventHash } from './hash-chain';
import { type AuditProgress, verifyAudit } from './verify-audit';

type Noted = { type: 'Noted'; data: { schemaVersion: 1; text: string } };
const notes: Aggregate<number, Noted> = { initialState: () => 0, evolve: (n) => n + 1 };
let commandNumber = 0;
const context = (): CommandContext => {
  const commandId = `00000000-0000-4000-8000-${String(++commandNumber).padStart(12, '0')}`;
  return { commandId, correlationId: commandId, actor: { sub: 't', roles: ['admin'], issuers: [] }, now: '2026-03-01' };
};
const note = (text: string): Noted[] => [{ type: 'Noted', data: { schemaVersion: 1, text } }];

/** The store as a forger left it: every read goes through `tamper`, applied to the whole log in global order. */
class TamperedStore extends InMemoryEventStore {
  tamper: (events: RecordedEvent[]) => RecordedEvent[] = (events) => events;

  override async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const all = this.tamper(await super.readAll({ filter: options.filter }));
    const from = options.from ?? 0n;
    const after = all.filter((event) => event.position > from);
    return after.slice(0, options.maxCount ?? after.length);
  }
}

/** Two streams through StreamCommands: `a` with 5 events (appended 2 + 3 across commands), `b` with 2. */
async function ledger(): Promise<TamperedStore> {
  const store = new TamperedStore();
  const commands = new StreamCommands(store);
  await commands.execute('a', notes, context(), () => [...note('a0'), ...note('a1')]);
  await commands.execute('b', notes, context(), () => note('b0'));
  for (const text of ['a2', 'a3', 'a4']) await commands.execute('a', notes, context(), () => note(text));
  await commands.execute('b', notes, context(), () => note('b1'));
  return store;
}

const edit = (event: RecordedEvent, changes: Partial<RecordedEvent>): RecordedEvent => ({ ...event, ...changes });
const at = (stream: string, revision: bigint) => (event: RecordedEvent) =>
  event.stream === stream && event.revision === revision;

describe('verifyAudit', () => {
  it('finds every stream intact when all was appended through StreamCommands, reading in pages', async () => {
    const store = await ledger();
    const progress: AuditProgress[] = [];
    const report = await verifyAudit(store, { pageSize: 2, onProgress: (p) => progress.push(p) });
    expect(report).toEqual({ ok: true, streams: 2, events: 7, broken: [] });
    expect(progress.map((p) => p.events)).toEqual([2, 4, 6, 7]);
  });

  it('reports an empty store as intact', async () => {
    expect(await verifyAudit(new InMemoryEventStore())).toEqual({ ok: true, streams: 0, events: 0, broken: [] });
  });

  it('names a changed event: its data, type or metadata', async () => {
    const store = await ledger();
    for (const change of [
      (e: RecordedEvent) => edit(e, { data: { ...e.data, text: 'forged' } }),
      (e: RecordedEvent) => edit(e, { type: 'Forged' }),
      (e: RecordedEvent) => edit(e, { metadata: { ...e.metadata, actor: { sub: 'someone else', roles: [] } } }),
    ]) {
      store.tamper = (events) => events.map((e) => (at('a', 2n)(e) ? change(e) : e));
      const report = await verifyAudit(store, { pageSize: 3 });
      expect(report).toMatchObject({ ok: false, streams: 2, events: 7 });
      expect(report.broken).toEqual([
        { stream: 'a', revision: 2, reason: 'hash does not match the event (changed after it was recorded)' },
      ]);
    }
  });

  it('names the next event when a changed event’s own hash was forged too', async () => {
    const store = await ledger();
    store.tamper = (events) =>
      events.map((e) => {
        if (!at('a', 1n)(e)) return e;
        const data: JsonObject = { ...e.data, text: 'forged' };
        return edit(e, {
          data,
          metadata: { ...e.metadata, hash: eventHash(e.metadata.prevHash as string, { ...e, data }) },
        });
      });
    expect((await verifyAudit(store)).broken).toEqual([
      { stream: 'a', revision: 2, reason: 'prevHash does not match the hash of revision 1' },
    ]);
  });

  it('names a deleted event by the revision after the gap (and the first event, when that is gone)', async () => {
    const store = await ledger();
    store.tamper = (events) => events.filter((e) => !at('a', 3n)(e) && !at('b', 0n)(e));
    const report = await verifyAudit(store, { pageSize: 2 });
    expect(report).toMatchObject({ ok: false, streams: 2, events: 5 });
    expect(report.broken).toEqual([
      { stream: 'a', revision: 4, reason: 'event missing before revision 4' },
      { stream: 'b', revision: 1, reason: 'event missing before revision 1' },
    ]);
  });

  it('gives up waiting for a missing revision after maxPending events', async () => {
    const store = await ledger();
    store.tamper = (events) => events.filter((e) => !at('a', 1n)(e));
    expect((await verifyAudit(store, { maxPending: 1 })).broken).toEqual([
      { stream: 'a', revision: 2, reason: 'event missing before revision 2' },
    ]);
  });

  it('names two swapped events', async () => {
    const store = await ledger();
    // Their revisions exchanged, as an UPDATE of stream_revision would leave them (positions stay).
    store.tamper = (events) =>
      events.map((e) => (at('a', 2n)(e) ? edit(e, { revision: 3n }) : at('a', 3n)(e) ? edit(e, { revision: 2n }) : e));
    expect((await verifyAudit(store)).broken).toEqual([
      {
        stream: 'a',
        revision: 2,
        reason: 'prevHash does not match the hash of revision 1 (recorded after revision 3: events reordered)',
      },
    ]);
    // Their positions exchanged too (the whole rows swapped): the chain alone still tells.
    store.tamper = (events) => {
      const [two, three] = [events.findIndex(at('a', 2n)), events.findIndex(at('a', 3n))];
      const swapped = [...events];
      swapped[two] = edit(events[three], { revision: 2n, position: events[two].position });
      swapped[three] = edit(events[two], { revision: 3n, position: events[three].position });
      return swapped;
    };
    expect((await verifyAudit(store)).broken).toEqual([
      { stream: 'a', revision: 2, reason: 'prevHash does not match the hash of revision 1' },
    ]);
  });

  it('names a revision recorded twice', async () => {
    const store = await ledger();
    store.tamper = (events) => events.map((e) => (at('b', 1n)(e) ? edit(e, { revision: 0n }) : e));
    expect((await verifyAudit(store)).broken).toEqual([
      { stream: 'b', revision: 0, reason: 'revision 0 recorded twice' },
    ]);
  });

  it('is strict: an event appended without the chain is a finding', async () => {
    const store = await ledger();
    await store.appendToStream('c', [
      { id: '10000000-0000-4000-8000-000000000001', type: 'Noted', data: { text: 'direct' } },
    ]);
    const direct: EventStore = store;
    const report = await verifyAudit(direct);
    expect(report).toMatchObject({ ok: false, streams: 3, events: 8 });
    expect(report.broken).toEqual([{ stream: 'c', revision: 0, reason: 'not hash-chained' }]);
  });
});
