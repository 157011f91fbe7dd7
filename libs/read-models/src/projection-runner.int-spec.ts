import { randomUUID } from 'node:crypto';
import { PostgresEventStore, pgSqlClient } from '@app/event-store';
import { achievementAwarded } from '../../domain/src/record/testing/record.fixtures';
import {
  eventually,
  poisonedEvents,
  poisonedProjection,
  type PoisonedProjection,
} from '../../../test/support/failing-projection';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../../../test/support/postgres-server';
import { loadCheckpoint, loadFailure } from './checkpoints';
import type { Projection } from './projection';
import { ProjectionRunner, type ProjectionRunnerOptions, type ProjectionStateChange } from './projection-runner';
import { rebuildProjections } from './rebuild';
import { migrateReadSide } from './typeorm/read-side';
import { loadVersion } from './checkpoints';
import { EntitySchema } from 'typeorm';
import { loadTranscriptState, transcriptProjection } from './transcript.projection';
import { foldStreamSummaries, listStreamSummaries, streamSummaryProjection } from './stream-summary.projection';

describe('ProjectionRunner on PostgreSQL', () => {
  let database: ThrowawayDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createThrowawayDatabase();
    store = await PostgresEventStore.open(pgSqlClient(database.url), { pollIntervalMs: 20 });
    await migrateReadSide(store.sql);
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  const append = (stream: string, count: number) =>
    store.appendToStream(
      stream,
      Array.from({ length: count }, (_, index) => ({ id: randomUUID(), type: `Step${index}`, data: { index } })),
    );

  async function waitForCheckpoint(projection: string, position: bigint): Promise<void> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const checkpoint = await loadCheckpoint(store.sql.query, projection);
      if (checkpoint !== undefined && checkpoint >= position) return;
      if (Date.now() > deadline) throw new Error(`${projection} did not reach ${position} (at ${checkpoint})`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('projects the feed, and a restarted runner resumes from its checkpoint without counting twice', async () => {
    const first = new ProjectionRunner(store, store.sql, [streamSummaryProjection], { batchSize: 7 });
    await first.start();
    await Promise.all([append('record-a-x', 5), append('issuer-b', 3), append('record-a-y', 20)]);
    const head = (await append('record-a-x', 2)).position;
    await waitForCheckpoint('stream-summary', head);
    await first.stop();

    await append('issuer-b', 4);
    const later = (await append('achievement-c', 1)).position;
    const second = new ProjectionRunner(store, store.sql, [streamSummaryProjection], { batchSize: 7 });
    await second.start();
    await waitForCheckpoint('stream-summary', later);
    await second.stop();

    const expected = [...foldStreamSummaries(await store.readAll()).values()].sort((a, b) =>
      a.stream.localeCompare(b.stream),
    );
    expect(await listStreamSummaries(store.sql.query)).toEqual(expected);
    expect(expected.map((summary) => [summary.stream, summary.eventCount])).toEqual([
      ['achievement-c', 1],
      ['issuer-b', 7],
      ['record-a-x', 7],
      ['record-a-y', 20],
    ]);
    expect((await listStreamSummaries(store.sql.query, 'record')).map((summary) => summary.stream)).toEqual([
      'record-a-x',
      'record-a-y',
    ]);
  });

  it('applies each event once when two runners tail the same projection (several api instances)', async () => {
    const runners = [1, 2].map(
      () => new ProjectionRunner(store, store.sql, [streamSummaryProjection], { batchSize: 3 }),
    );
    await Promise.all(runners.map((runner) => runner.start()));
    let head = 0n;
    for (let index = 0; index < 40; index++) head = (await append(`twin-${index % 7}`, 2)).position;
    await waitForCheckpoint('stream-summary', head);
    await Promise.all(runners.map((runner) => runner.stop()));
    const expected = [...foldStreamSummaries(await store.readAll()).values()].sort((a, b) =>
      a.stream.localeCompare(b.stream),
    );
    expect(await listStreamSummaries(store.sql.query)).toEqual(expected);
  });

  it('writes a batch and its checkpoint together: a failed batch leaves no trace and is retried', async () => {
    await store.sql.query('CREATE TABLE IF NOT EXISTS flaky_seen (event_id uuid PRIMARY KEY)');
    let failures = 0;
    const flaky: Projection = {
      name: 'flaky',
      version: 1,
      filter: { streamPrefix: 'flaky-' },
      entities: [],
      async apply(events, query) {
        // A duplicate event_id would violate the primary key: each event must be applied exactly once.
        await query('INSERT INTO flaky_seen SELECT jsonb_array_elements_text($1::jsonb)::uuid', [
          JSON.stringify(events.map((e) => e.id)),
        ]);
        if (failures++ < 2) throw new Error('transient failure after writing rows');
      },
    };
    const changes: ProjectionStateChange[] = [];
    const runner = new ProjectionRunner(store, store.sql, [flaky], {
      retryMs: 10,
      onStateChange: (change) => changes.push(change),
    });
    await runner.start();
    const head = (await append('flaky-1', 30)).position;
    await waitForCheckpoint('flaky', head);
    await runner.stop();
    expect(changes.map((change) => [change.state, change.attempts])).toEqual([
      ['failing', 1],
      ['recovered', 3],
    ]);
    const [{ count }] = await store.sql.query<{ count: number }>('SELECT count(*)::int AS count FROM flaky_seen');
    expect(count).toBe(30);
  });

  describe('ownership: one runner at a time applies a projection', () => {
    /** The stream-summary projection under another name, counting the events each runner applies. */
    const countingSummary = (name: string, applied: { count: number }): Projection => ({
      ...streamSummaryProjection,
      name,
      async apply(events, query) {
        applied.count += events.length;
        await streamSummaryProjection.apply(events, query);
      },
    });
    const ownerPid = async (name: string) => {
      const rows = await store.sql.query<{ pid: number }>(
        `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = hashtext($1)::oid
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        [name],
      );
      return rows.map((row) => row.pid);
    };

    it('leaves the standby idle while the owner lives, and the standby takes over when the owner stops', async () => {
      await store.sql.query('TRUNCATE tessera_stream_summary');
      const name = 'stream-summary';
      await store.sql.query('DELETE FROM tessera_checkpoints WHERE projection = $1', [name]);
      const [ownerCount, standbyCount] = [{ count: 0 }, { count: 0 }];
      const owner = new ProjectionRunner(store, store.sql, [countingSummary(name, ownerCount)], { takeoverMs: 50 });
      await owner.start();
      for (const deadline = Date.now() + 5000; (await ownerPid(name)).length === 0;) {
        if (Date.now() > deadline) throw new Error(`no runner took ${name}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const standby = new ProjectionRunner(store, store.sql, [countingSummary(name, standbyCount)], {
        takeoverMs: 50,
      });
      await standby.start();
      let head = 0n;
      for (let index = 0; index < 10; index++) head = (await append(`owned-${index % 3}`, 2)).position;
      await waitForCheckpoint(name, head);
      expect(standbyCount.count).toBe(0);
      expect(ownerCount.count).toBeGreaterThan(0);

      await owner.stop();
      const beforeTakeover = ownerCount.count;
      for (let index = 0; index < 10; index++) head = (await append(`owned-${index % 3}`, 1)).position;
      await waitForCheckpoint(name, head);
      await standby.stop();
      expect(ownerCount.count).toBe(beforeTakeover);
      expect(standbyCount.count).toBeGreaterThanOrEqual(10);
      const expected = [...foldStreamSummaries(await store.readAll()).values()].sort((a, b) =>
        a.stream.localeCompare(b.stream),
      );
      expect(await listStreamSummaries(store.sql.query)).toEqual(expected);
    });

    it('hands the projection over when the owner’s connection dies, without applying an event twice', async () => {
      await store.sql.query('TRUNCATE tessera_stream_summary');
      const name = 'stream-summary';
      await store.sql.query('DELETE FROM tessera_checkpoints WHERE projection = $1', [name]);
      const counts = [{ count: 0 }, { count: 0 }];
      const runners = counts.map(
        (count) =>
          new ProjectionRunner(store, store.sql, [countingSummary(name, count)], {
            takeoverMs: 50,
            heartbeatMs: 50,
            retryMs: 50,
          }),
      );
      await Promise.all(runners.map((runner) => runner.start()));
      let head = 0n;
      for (let index = 0; index < 6; index++) head = (await append(`handover-${index % 2}`, 2)).position;
      await waitForCheckpoint(name, head);
      const [firstOwner] = await ownerPid(name);
      expect(firstOwner).toBeDefined();

      // The owning instance's connection dies (as when its host goes away): its lock goes with it.
      await store.sql.query('SELECT pg_terminate_backend($1)', [firstOwner]);
      for (let index = 0; index < 6; index++) head = (await append(`handover-${index % 2}`, 3)).position;
      await waitForCheckpoint(name, head);
      const owners = await ownerPid(name);
      await Promise.all(runners.map((runner) => runner.stop()));
      expect(owners).toHaveLength(1);
      expect(owners[0]).not.toBe(firstOwner);
      const expected = [...foldStreamSummaries(await store.readAll()).values()].sort((a, b) =>
        a.stream.localeCompare(b.stream),
      );
      expect(await listStreamSummaries(store.sql.query)).toEqual(expected);
    });
  });

  describe('a projection that cannot go on', () => {
    const quick: ProjectionRunnerOptions = { retryMs: 10, maxRetryMs: 40, retriesBeforeFailed: 3, batchSize: 50 };
    const seen = async (table: string) =>
      (await store.sql.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${table}`))[0].count;
    const failureOf = (projection: string) => () => loadFailure(store.sql.query, projection);
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    it('is marked failed at the event its fold cannot apply, says so once, lets the others go on, and heals', async () => {
      const poisoned = poisonedProjection('poisoned', 'poisoned_seen', 'poison-');
      const bystander = poisonedProjection('poison-bystander', 'poison_bystander_seen', 'poison-');
      bystander.causePresent = false;
      const changes: ProjectionStateChange[] = [];
      const runner = new ProjectionRunner(store, store.sql, [poisoned, bystander], {
        ...quick,
        failedRetryMs: 300,
        onStateChange: (change) => changes.push(change),
      });
      await runner.start();
      const started = Date.now();
      const { position: head } = await store.appendToStream('poison-1', poisonedEvents(5, 4));
      const recorded = await store.readStream('poison-1');
      const poisonAt = recorded[5].position;

      const failure = await eventually('the poisoned projection to be marked failed', failureOf('poisoned'));
      const failedMs = Date.now() - started;
      expect(failure).toMatchObject({ projection: 'poisoned', position: poisonAt });
      expect(failure.error).toBe(`cannot apply the poison at ${poisonAt}`);
      // Narrowed to the event: the five before it are applied and checkpointed, once each.
      expect(await loadCheckpoint(store.sql.query, 'poisoned')).toBe(recorded[4].position);
      expect(await seen('poisoned_seen')).toBe(5);
      await waitForCheckpoint('poison-bystander', head);
      expect(await seen('poison_bystander_seen')).toBe(10);

      // Failed, it tries again at the slow pace, saying nothing more.
      await sleep(1000);
      expect(poisoned.attempts.get(poisonAt)).toBeGreaterThanOrEqual(4 + 1 + 2);
      expect(changes.map((change) => [change.projection, change.state, change.position])).toEqual([
        ['poisoned', 'failing', recorded[0].position],
        ['poisoned', 'failed', poisonAt],
      ]);
      expect((await loadFailure(store.sql.query, 'poisoned'))?.since).toEqual(failure.since);

      poisoned.causePresent = false;
      const healing = Date.now();
      await waitForCheckpoint('poisoned', head);
      const recoveredMs = Date.now() - healing;
      await runner.stop();
      expect(await loadFailure(store.sql.query, 'poisoned')).toBeUndefined();
      expect(changes.map((change) => change.state)).toEqual(['failing', 'failed', 'recovered']);
      expect(await seen('poisoned_seen')).toBe(10);
      expect(failedMs).toBeLessThan(5000);
      expect(recoveredMs).toBeLessThan(5000);
      console.log(`poisoned: failed after ${failedMs} ms, recovered ${recoveredMs} ms after the cause went`);
    });

    it('is retried when a runner starts, and a rebuild that gets past the event clears the mark at once', async () => {
      const poisoned = poisonedProjection('poisoned-twice', 'poisoned_twice_seen', 'twice-');
      const states = (changes: ProjectionStateChange[]) => changes.map((change) => change.state);
      // failedRetryMs an hour: only a start or a rebuild can resume it here.
      const runWith = async (changes: ProjectionStateChange[]) => {
        const runner = new ProjectionRunner(store, store.sql, [poisoned], {
          ...quick,
          failedRetryMs: 3_600_000,
          onStateChange: (change) => changes.push(change),
        });
        await runner.start();
        return runner;
      };
      const first: ProjectionStateChange[] = [];
      const runner = await runWith(first);
      const { position: head } = await store.appendToStream('twice-1', poisonedEvents(2, 2));
      await eventually('failed', failureOf('poisoned-twice'));
      await runner.stop();

      poisoned.causePresent = false;
      const restarted: ProjectionStateChange[] = [];
      const restartedAt = Date.now();
      const second = await runWith(restarted);
      await waitForCheckpoint('poisoned-twice', head);
      const restartMs = Date.now() - restartedAt;
      expect(await loadFailure(store.sql.query, 'poisoned-twice')).toBeUndefined();
      expect(states(first)).toEqual(['failing', 'failed']);
      expect(states(restarted)).toEqual(['recovered']);

      poisoned.causePresent = true;
      const { position: poisonAt } = await store.appendToStream('twice-2', poisonedEvents(0, 0));
      expect(await eventually('failed again', failureOf('poisoned-twice'))).toMatchObject({ position: poisonAt });
      poisoned.causePresent = false;
      await rebuildProjections(store, store.sql, [poisoned]);
      expect(await loadFailure(store.sql.query, 'poisoned-twice')).toBeUndefined();
      // The live runner sees the mark gone within retryMs and goes on with what comes next.
      const { position: later } = await store.appendToStream('twice-3', poisonedEvents(1, 0));
      await waitForCheckpoint('poisoned-twice', later);
      await second.stop();
      expect(states(restarted)).toEqual(['recovered', 'failing', 'failed', 'recovered']);
      expect(await seen('poisoned_twice_seen')).toBe(8);
      expect(restartMs).toBeLessThan(5000);
    });

    it('marks the transcript failed at the second learner given one award id, and the others go on', async () => {
      // Appended through the adapter without claims, as the port allows: the production case of issue 13.
      const awardTo = (learnerId: string, awardId: string) =>
        store.appendToStream(`record-${learnerId}~sql`, [
          { id: randomUUID(), type: 'AchievementAwarded', data: achievementAwarded({ learnerId, awardId }).data },
        ]);
      const bystander: PoisonedProjection = {
        ...poisonedProjection('record-bystander', 'record_bystander_seen', 'record-'),
        causePresent: false,
      };
      const changes: ProjectionStateChange[] = [];
      const runner = new ProjectionRunner(store, store.sql, [transcriptProjection, bystander], {
        ...quick,
        failedRetryMs: 3_600_000,
        onStateChange: (change) => changes.push(change),
      });
      const { position: first } = await awardTo('ada', 'aw-shared');
      const { position: second } = await awardTo('bob', 'aw-shared');
      const { position: head } = await awardTo('cy', 'aw-own');
      await runner.start();
      const failure = await eventually('the transcript to be marked failed', failureOf('transcript'));
      await waitForCheckpoint('record-bystander', head);
      await runner.stop();
      expect(failure).toMatchObject({ projection: 'transcript', position: second });
      expect(failure.error).toMatch(/award id is already held by another learner/);
      expect(await loadCheckpoint(store.sql.query, 'transcript')).toBe(first);
      expect((await loadTranscriptState(store.sql.query, 'ada'))?.awards.map((award) => award.awardId)).toEqual([
        'aw-shared',
      ]);
      expect(await loadTranscriptState(store.sql.query, 'bob')).toBeUndefined();
      expect(changes.map((change) => [change.projection, change.state])).toEqual([
        ['transcript', 'failing'],
        ['transcript', 'failed'],
      ]);
    });
  });

  // Last: its streams would be in the other tests' whole-store comparisons.
  it('rebuilds a projection whose rows another version of its fold wrote, and swaps the new rows in', async () => {
    await store.sql.query('CREATE TABLE versioned_rows (event_id uuid PRIMARY KEY, written_by text NOT NULL)');
    const entity = new EntitySchema({
      name: 'versioned_rows',
      columns: { event_id: { type: 'uuid', primary: true }, written_by: { type: 'text' } },
    });
    const version = (number: number): Projection => ({
      name: 'versioned',
      version: number,
      filter: { streamPrefix: 'versioned-' },
      entities: [entity],
      async apply(events, query) {
        await query('INSERT INTO versioned_rows SELECT id::uuid, $2 FROM jsonb_array_elements_text($1::jsonb) AS id', [
          JSON.stringify(events.map((event) => event.id)),
          `fold ${number}`,
        ]);
      },
    });
    const written = async () =>
      (await store.sql.query<{ written_by: string }>('SELECT written_by FROM versioned_rows')).map(
        (row) => row.written_by,
      );
    const first = new ProjectionRunner(store, store.sql, [version(1)]);
    first.start();
    const head = (await append('versioned-a', 3)).position;
    await waitForCheckpoint('versioned', head);
    await first.stop();
    expect(await written()).toEqual(['fold 1', 'fold 1', 'fold 1']);

    const rebuilt: Array<[string, number, number]> = [];
    const second = new ProjectionRunner(store, store.sql, [version(2)], {
      onRebuild: (name, from, to) => rebuilt.push([name, from, to]),
    });
    second.start();
    const later = (await append('versioned-b', 1)).position;
    await waitForCheckpoint('versioned', later);
    await second.stop();
    expect(rebuilt).toEqual([['versioned', 1, 2]]);
    expect(await written()).toEqual(['fold 2', 'fold 2', 'fold 2', 'fold 2']);
    expect(await loadVersion(store.sql.query, 'versioned')).toBe(2);
  });
});
