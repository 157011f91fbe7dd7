import { randomUUID } from 'node:crypto';
import {
  type AchievementEvent,
  achievementDecider,
  achievementStream,
  type RecordCommand,
  recordStream,
} from '@app/domain';
import { pgliteSqlClient, pgSqlClient, PostgresEventStore, type SqlClient } from '@app/event-store';
import { countingSqlClient, type CountingSqlClient } from '../../../../test/support/counting-sql-client';
import { createThrowawayDatabase } from '../../../../test/support/postgres-server';
import {
  achievementDefined,
  achievementRetired,
  ACHIEVEMENT_ID,
  PREREQUISITE_ID,
  prerequisiteDefined,
} from '../../../domain/src/achievement/testing/achievement.fixtures';
import { awardAchievement, recordAssessment, submitEvidence } from '../../../domain/src/record/testing/record.fixtures';
import { IdempotencyKeyReused } from '../application.errors';
import type { CommandContext, KeyedCommand } from '../command-context';
import { StreamCommands } from '../stream-commands';
import { executeRecordCommand } from './record-commands';

/** A command's hot path: read the streams it decides on, append. */
const BUDGET = 2;

const contextOf = (command: RecordCommand): CommandContext => ({
  commandId: randomUUID(),
  correlationId: randomUUID(),
  actor: command.metadata.actor,
  now: command.metadata.now,
});

/** A fresh database and what drops it. */
type Opened = { sql: SqlClient; drop(): Promise<void> };

describe.each([
  [
    'PostgreSQL',
    async (): Promise<Opened> => {
      const database = await createThrowawayDatabase();
      return { sql: pgSqlClient(database.url, { max: 4 }), drop: () => database.drop() };
    },
  ],
  ['PGlite', async (): Promise<Opened> => ({ sql: await pgliteSqlClient(), drop: async () => undefined })],
])('round trips per record command on %s', (_name, open: () => Promise<Opened>) => {
  let opened: Opened;
  let sql: CountingSqlClient;
  let store: PostgresEventStore;
  let streams: StreamCommands;
  const learnerId = randomUUID();

  /** Runs the command and answers what it sent to the database. */
  const sentBy = async (command: RecordCommand): Promise<string[]> => {
    sql.reset();
    await executeRecordCommand(streams, command, contextOf(command));
    return [...sql.sent];
  };
  const forLearner = <C extends RecordCommand>(command: C): C => ({
    ...command,
    data: { ...command.data, learnerId },
  });
  const onPrerequisite = <C extends RecordCommand>(command: C): C => ({
    ...command,
    data: { ...command.data, achievementId: PREREQUISITE_ID, learnerId },
  });

  beforeAll(async () => {
    opened = await open();
    sql = countingSqlClient(opened.sql);
    store = await PostgresEventStore.open(sql);
    streams = new StreamCommands(store);
    const define = (stream: string, event: AchievementEvent) =>
      streams.execute(stream, achievementDecider, contextOf(submitEvidence()), () => [event]);
    await define(achievementStream(PREREQUISITE_ID), prerequisiteDefined());
    await define(achievementStream(ACHIEVEMENT_ID), achievementDefined({ prerequisites: [PREREQUISITE_ID] }));
    // The learner holds the prerequisite.
    const onIt = [
      onPrerequisite(submitEvidence({ evidenceId: 'pre-ev' })),
      onPrerequisite(recordAssessment({ assessmentId: 'pre-as', evidenceIds: ['pre-ev'] })),
      onPrerequisite(awardAchievement({ awardId: 'pre-aw' })),
    ];
    for (const command of onIt) await executeRecordCommand(streams, command, contextOf(command));
  });
  afterAll(async () => {
    await store.close();
    await opened.drop();
  });

  it('evidence starting a record: one read (record and achievement together), one append', async () => {
    const sent = await sentBy(forLearner(submitEvidence()));
    expect(sent).toHaveLength(BUDGET);
    expect(sent[0]).toMatch(/^SELECT .* FROM tessera_events/);
    expect(sent[0]).not.toMatch(/tessera_streams/);
    expect(sent[1]).toMatch(/INSERT INTO tessera_events/);
  });

  it('evidence on a record that exists, and an assessment: within the budget, the achievement from its cached fold', async () => {
    const evidence = await sentBy(forLearner(submitEvidence({ evidenceId: 'ev-2' })));
    expect(evidence).toHaveLength(BUDGET);
    expect(evidence[0]).toMatch(/stream_revision > wanted\.after/);
    expect(await sentBy(forLearner(recordAssessment({ evidenceIds: ['ev-1', 'ev-2'] })))).toHaveLength(BUDGET);
  });

  it('an award reads its prerequisites’ records in the same round trip as its own', async () => {
    const sent = await sentBy(forLearner(awardAchievement()));
    expect(sent).toHaveLength(BUDGET);
    const events = await streams.readStream(recordStream(learnerId, ACHIEVEMENT_ID));
    expect(events.at(-1)?.type).toBe('AchievementAwarded');
  });

  it('a repeated command is answered from the read alone', async () => {
    const command = forLearner(submitEvidence({ evidenceId: 'ev-3' }));
    const context = contextOf(command);
    await executeRecordCommand(streams, command, context);
    sql.reset();
    await executeRecordCommand(streams, command, context);
    expect(sql.sent).toHaveLength(1);
  });

  describe('with an Idempotency-Key (kept by the ledger)', () => {
    const keyed = (key: string, fingerprint: string): KeyedCommand => ({
      key: { subject: 'assessor', key, fingerprint },
      replayed: false,
    });
    /** The context of a keyed request: its command id derives from key and fingerprint, as the api derives it. */
    const keyedContext = (command: RecordCommand, idempotency: KeyedCommand): CommandContext => ({
      ...contextOf(command),
      commandId: `00000000-0000-4000-8000-${idempotency.key.fingerprint.padStart(12, '0')}`,
      idempotency,
    });
    const keyRows = async (key: string) =>
      opened.sql.query('SELECT request_hash FROM tessera_idempotency WHERE key = $1', [key]);

    it('costs the same two round trips: the read says who holds the key, the append takes it', async () => {
      const command = forLearner(submitEvidence({ evidenceId: 'ev-keyed' }));
      const idempotency = keyed('k-1', '1');
      sql.reset();
      await executeRecordCommand(streams, command, keyedContext(command, idempotency));
      expect(sql.sent).toHaveLength(BUDGET);
      expect(sql.sent[0]).toMatch(/tessera_idempotency/);
      expect(sql.sent[1]).toMatch(/INSERT INTO tessera_events/);
      expect(sql.sent[1]).toMatch(/INSERT INTO tessera_idempotency/);
      expect(idempotency.replayed).toBe(false);
      expect(await keyRows('k-1')).toEqual([{ request_hash: '1' }]);
    });

    it('answers the same request again from the read alone, as a replay', async () => {
      const command = forLearner(submitEvidence({ evidenceId: 'ev-keyed-2' }));
      const first = await executeRecordCommand(streams, command, keyedContext(command, keyed('k-2', '2')));
      const again = keyed('k-2', '2');
      sql.reset();
      const replayed = await executeRecordCommand(streams, command, keyedContext(command, again));
      expect(sql.sent).toHaveLength(1);
      expect(again.replayed).toBe(true);
      expect(replayed).toEqual(first);
    });

    it('refuses another request under a held key from the read alone, appending nothing', async () => {
      await executeRecordCommand(
        streams,
        forLearner(submitEvidence({ evidenceId: 'ev-keyed-3' })),
        keyedContext(forLearner(submitEvidence()), keyed('k-3', '3')),
      );
      const other = forLearner(submitEvidence({ evidenceId: 'ev-keyed-4' }));
      sql.reset();
      await expect(executeRecordCommand(streams, other, keyedContext(other, keyed('k-3', '4')))).rejects.toBeInstanceOf(
        IdempotencyKeyReused,
      );
      expect(sql.sent).toHaveLength(1);
      expect(await keyRows('k-3')).toEqual([{ request_hash: '3' }]);
    });

    it('writes no key for a command the domain refuses: the key stays free for a retry', async () => {
      // An award without a passing assessment, on a learner with no record.
      const refused = {
        ...awardAchievement({ awardId: 'aw-refused' }),
        data: { ...awardAchievement().data, learnerId: randomUUID() },
      };
      sql.reset();
      await expect(executeRecordCommand(streams, refused, keyedContext(refused, keyed('k-5', '5')))).rejects.toThrow();
      expect(sql.sent.length).toBeLessThanOrEqual(BUDGET);
      expect(await keyRows('k-5')).toEqual([]);
    });
  });

  it('sees a definition’s new event appended elsewhere: the cached fold is brought up to date by it', async () => {
    // Another process (its own StreamCommands, so its own cache) retires the achievement.
    const elsewhere = new StreamCommands(store);
    await elsewhere.execute(achievementStream(ACHIEVEMENT_ID), achievementDecider, contextOf(submitEvidence()), () => [
      achievementRetired(),
    ]);
    const evidence = forLearner(submitEvidence({ evidenceId: 'ev-4', observedAt: '2026-07-01T09:00:00.000Z' }));
    const late = { ...evidence, metadata: { ...evidence.metadata, now: '2026-07-02T09:00:00.000Z' } };
    sql.reset();
    await expect(executeRecordCommand(streams, late, contextOf(late))).rejects.toMatchObject({
      code: expect.stringMatching(/retired/),
    });
    expect(sql.sent).toHaveLength(1);
  });
});
