import { randomUUID } from 'node:crypto';
import {
  type EventStore,
  pgliteSqlClient,
  pgSqlClient,
  PostgresEventStore,
  type ReadAllOptions,
  type SqlClient,
} from '@app/event-store';
import { rebuildProjections, streamSummaryProjection, migrateReadSide } from '@app/read-models';
import { createThrowawayDatabase } from '../../../test/support/postgres-server';
import { readLearnerHistory, readLearnerLedger, readStreamsUnder } from './learner-ledger';

/** The store, with every readAll it is asked for noted. */
function watched(store: EventStore): { store: EventStore; readAlls: ReadAllOptions[] } {
  const readAlls: ReadAllOptions[] = [];
  const spy = Object.create(store) as EventStore;
  spy.readAll = (options = {}) => {
    readAlls.push(options);
    return store.readAll(options);
  };
  return { store: spy, readAlls };
}

const databases: Array<[string, () => Promise<{ sql: SqlClient; drop: () => Promise<void> }>]> = [
  [
    'PostgreSQL',
    async () => {
      const database = await createThrowawayDatabase();
      return { sql: pgSqlClient(database.url), drop: () => database.drop() };
    },
  ],
  ['PGlite', async () => ({ sql: await pgliteSqlClient(), drop: async () => undefined })],
];

describe.each(databases)("a learner's ledger from the stream summary, on %s", (_name, open) => {
  let store: PostgresEventStore;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const opened = await open();
    drop = opened.drop;
    store = await PostgresEventStore.open(opened.sql);
    await migrateReadSide(opened.sql);
  });
  afterAll(async () => {
    await store.close();
    await drop();
  });

  const append = (stream: string, ...types: string[]) =>
    store.appendToStream(
      stream,
      types.map((type) => ({ id: randomUUID(), type, data: {} })),
    );

  it('reads the streams the summary lists and those appended since its checkpoint, and scans no log', async () => {
    await append('record-l1~a1', 'EvidenceSubmitted', 'Noted');
    await append('qualification-l1~p1', 'Noted');
    await append('record-l10~a1', 'Noted');
    await append('learner-l1', 'LearnerRegistered');
    await append('learner-l10', 'LearnerRegistered');
    await append('issuer-x', 'IssuerRegistered');
    const projected = await rebuildProjections(store, store.sql, [streamSummaryProjection]);
    // Appended after the summary's checkpoint: a new stream and one more event on a known one.
    await append('record-l1~a2', 'Noted');
    await append('record-l1~a1', 'Late');

    const { store: reading, readAlls } = watched(store);
    const ledger = await readLearnerLedger({ store: reading, query: store.sql.query }, 'l1');
    const scanned = await readLearnerLedger(store, 'l1');

    expect(ledger.records.map((record) => record.achievementId).sort()).toEqual(['a1', 'a2']);
    expect(ledger.qualifications.map((qualification) => qualification.pathwayId)).toEqual(['p1']);
    expect(ledger.events.map((event) => event.id)).toEqual(scanned.events.map((event) => event.id));
    expect(ledger.events.map((event) => `${event.stream}:${event.type}`)).toEqual([
      'record-l1~a1:EvidenceSubmitted',
      'record-l1~a1:Noted',
      'qualification-l1~p1:Noted',
      'record-l1~a2:Noted',
      'record-l1~a1:Late',
    ]);
    // Only the tail past the summary's checkpoint is read from the log.
    expect(readAlls.length).toBeGreaterThan(0);
    expect(readAlls.every((read) => read.from === projected.position)).toBe(true);
  });

  it("pages a learner's history, the learner's own stream in and other learners' out", async () => {
    const source = { store, query: store.sql.query };
    const all = await readLearnerHistory(source, 'l1', { limit: 100 });
    expect(all.more).toBe(false);
    expect(all.events.map((event) => event.stream)).toEqual([
      'record-l1~a1',
      'record-l1~a1',
      'qualification-l1~p1',
      'learner-l1',
      'record-l1~a2',
      'record-l1~a1',
    ]);
    const first = await readLearnerHistory(source, 'l1', { limit: 4 });
    expect(first).toEqual({ events: all.events.slice(0, 4), more: true });
    const rest = await readLearnerHistory(source, 'l1', { after: first.events[3].position, limit: 4 });
    expect(rest).toEqual({ events: all.events.slice(4), more: false });
  });

  it('finds a learner whose streams the summary has never projected', async () => {
    await append('record-new~a1', 'Noted');
    const ledger = await readLearnerLedger({ store, query: store.sql.query }, 'new');
    expect(ledger.records.map((record) => record.achievementId)).toEqual(['a1']);
  });

  it('reads streams under any prefix so (the pathways), with the store alone falling back to a read of the log', async () => {
    await append('pathway-p1', 'PathwayDefined');
    const projected = await rebuildProjections(store, store.sql, [streamSummaryProjection]);
    await append('pathway-p2', 'PathwayDefined');
    const { store: reading, readAlls } = watched(store);
    const found = await readStreamsUnder({ store: reading, query: store.sql.query }, ['pathway-']);
    expect(found.map((event) => event.stream)).toEqual(['pathway-p1', 'pathway-p2']);
    expect(readAlls.map((read) => read.from)).toEqual([projected.position]);
    expect(await readStreamsUnder(reading, ['pathway-'])).toEqual(found);
    expect(readAlls.at(-1)!.from).toBeUndefined();
  });

  it("takes a learner id's _ and % literally", async () => {
    await append('record-l_1~mine', 'Noted');
    await append('record-lx1~theirs', 'Noted');
    await append('record-l%~theirs', 'Noted');
    await rebuildProjections(store, store.sql, [streamSummaryProjection]);
    const ledger = await readLearnerLedger({ store, query: store.sql.query }, 'l_1');
    expect(ledger.events.map((event) => event.stream)).toEqual(['record-l_1~mine']);
    const percent = await readLearnerLedger({ store, query: store.sql.query }, 'l%');
    expect(percent.events.map((event) => event.stream)).toEqual(['record-l%~theirs']);
  });
});
