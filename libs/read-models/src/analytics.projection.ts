import {
  type AchievementAnalytics,
  type AchievementAnalyticsState,
  analyticsAchievementOf,
  type AnalyticsLearner,
  analyticsLearnerOf,
  applyAchievementAnalytics,
  initialAchievementAnalytics,
  type IssuerAnalytics,
  STREAM_PREFIX,
  summariseAchievement,
  summariseIssuer,
} from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { Projection, SqlQuery } from './projection';
import { columns, type RowModel, rowProjection } from './row-model';
import { AnalyticsAchievementEntity, AnalyticsLearnerEntity } from './typeorm/entities';

const ACHIEVEMENTS = 'tessera_analytics_achievements';
const LEARNERS = 'tessera_analytics_learners';
/** The state without its learners: what an achievement's row keeps. */
type Counters = Omit<AchievementAnalyticsState, 'learners'>;
type AnalyticsLearners = AchievementAnalyticsState['learners'];

/** An achievement's counters (under its id), or one learner's entry of it (under `learnerKey`). */
type AnalyticsRow =
  | { readonly achievementId: string; readonly counters: Counters; readonly position: string }
  | { readonly achievementId: string; readonly learnerId: string; readonly entry: AnalyticsLearner };

const learnerKey = (achievementId: string, learnerId: string) => `${achievementId}\u0000${learnerId}`;

/** The events of each achievement, and the learners they name. */
function byAchievement(
  events: readonly RecordedEvent[],
): Map<string, { events: RecordedEvent[]; learners: Set<string> }> {
  const touched = new Map<string, { events: RecordedEvent[]; learners: Set<string> }>();
  for (const event of events) {
    const achievementId = analyticsAchievementOf(event);
    if (achievementId === undefined) continue;
    const entry = touched.get(achievementId) ?? { events: [], learners: new Set<string>() };
    entry.events.push(event);
    const learnerId = analyticsLearnerOf(event);
    if (learnerId !== undefined) entry.learners.add(learnerId);
    touched.set(achievementId, entry);
  }
  return touched;
}

const analyticsRows: RowModel<AnalyticsRow> = {
  keysOf: (events) =>
    [...byAchievement(events)].flatMap(([achievementId, { learners }]) => [
      achievementId,
      ...[...learners].map((learnerId) => learnerKey(achievementId, learnerId)),
    ]),
  async load(query, keys) {
    const named = new Map<string, string[]>();
    for (const key of keys) {
      const [achievementId, learnerId] = key.split('\u0000', 2);
      const learners = named.get(achievementId) ?? [];
      if (learnerId !== undefined) learners.push(learnerId);
      named.set(achievementId, learners);
    }
    const rows = await query<{
      achievement_id: string;
      counters: Counters | null;
      position: string | null;
      learners: AnalyticsLearners;
    }>(
      `SELECT named.achievement_id, a.counters, a.position::text AS position,
         (SELECT COALESCE(jsonb_object_agg(l.learner_id, l.entry), '{}'::jsonb) FROM ${LEARNERS} AS l
          WHERE l.achievement_id = named.achievement_id
            AND l.learner_id IN (SELECT jsonb_array_elements_text(named.learner_ids))) AS learners
       FROM jsonb_to_recordset($1::jsonb) AS named(achievement_id text, learner_ids jsonb)
       LEFT JOIN ${ACHIEVEMENTS} AS a ON a.achievement_id = named.achievement_id`,
      [JSON.stringify([...named].map(([achievement_id, learner_ids]) => ({ achievement_id, learner_ids })))],
    );
    const found = new Map<string, AnalyticsRow>();
    for (const row of rows) {
      const achievementId = row.achievement_id;
      if (row.counters !== null)
        found.set(achievementId, { achievementId, counters: row.counters, position: row.position ?? '0' });
      for (const [learnerId, entry] of Object.entries(row.learners))
        found.set(learnerKey(achievementId, learnerId), { achievementId, learnerId, entry });
    }
    return found;
  },
  fold(events, rows) {
    const changed = new Map<string, AnalyticsRow>();
    for (const [achievementId, touched] of byAchievement(events)) {
      const stored = rows.get(achievementId);
      const learnersBefore: Record<string, AnalyticsLearner> = {};
      for (const learnerId of touched.learners) {
        const row = rows.get(learnerKey(achievementId, learnerId));
        if (row && 'entry' in row) learnersBefore[learnerId] = row.entry;
      }
      const before: AchievementAnalyticsState = {
        ...(stored && 'counters' in stored ? stored.counters : initialAchievementAnalytics(achievementId)),
        learners: learnersBefore,
      };
      const { learners: after, ...counters } = applyAchievementAnalytics(before, touched.events);
      const position = touched.events[touched.events.length - 1].position.toString();
      changed.set(achievementId, { achievementId, counters, position });
      for (const learnerId of touched.learners) {
        const entry = after[learnerId];
        if (entry !== undefined && JSON.stringify(entry) !== JSON.stringify(learnersBefore[learnerId]))
          changed.set(learnerKey(achievementId, learnerId), { achievementId, learnerId, entry });
      }
    }
    return changed;
  },
  async write(query, rows) {
    const achievements: Array<{ achievement_id: string; issuer_id?: string; counters: Counters; position: string }> =
      [];
    const learners: Array<{ achievement_id: string; learner_id: string; entry: AnalyticsLearner }> = [];
    for (const row of rows.values())
      if ('counters' in row)
        achievements.push({
          achievement_id: row.achievementId,
          issuer_id: row.counters.issuerId,
          counters: row.counters,
          position: row.position,
        });
      else learners.push({ achievement_id: row.achievementId, learner_id: row.learnerId, entry: row.entry });
    const learnerColumns = columns(learners, [
      (learner) => learner.achievement_id,
      (learner) => learner.learner_id,
      (learner) => JSON.stringify(learner.entry),
    ]);
    if (achievements.length > 0)
      await query(
        `INSERT INTO ${ACHIEVEMENTS} (achievement_id, issuer_id, counters, position)
         SELECT achievement_id, issuer_id, counters, position
         FROM jsonb_to_recordset($1::jsonb) AS r(achievement_id text, issuer_id text, counters jsonb, position bigint)
         ON CONFLICT (achievement_id) DO UPDATE SET issuer_id = EXCLUDED.issuer_id, counters = EXCLUDED.counters,
           position = EXCLUDED.position`,
        [JSON.stringify(achievements)],
      );
    if (learners.length > 0)
      await query(
        `INSERT INTO ${LEARNERS} (achievement_id, learner_id, entry)
         SELECT achievement_id, learner_id, entry::jsonb
         FROM unnest($1::text[], $2::text[], $3::text[]) AS r(achievement_id, learner_id, entry)
         ON CONFLICT (achievement_id, learner_id) DO UPDATE SET entry = EXCLUDED.entry`,
        learnerColumns,
      );
  },
};

/**
 * Analytics per achievement, folded with the domain's `applyAchievementAnalytics` over record streams and achievement
 * streams (which name the issuer): a row of counters per achievement and a row per learner of it, so that a batch
 * reads and writes only the achievements and learners it names (the fold needs no other learner), in one statement
 * each, in the runner's batch transaction with its checkpoint. An issuer's figures are summed at read time.
 */
export const analyticsProjection: Projection = rowProjection({
  name: 'analytics',
  filter: { streamPrefix: [STREAM_PREFIX.record, STREAM_PREFIX.achievement] },
  version: 2,
  entities: [AnalyticsAchievementEntity, AnalyticsLearnerEntity],
  rows: analyticsRows,
});

/** The whole folded state of each achievement the condition selects: its counters and every learner's entry. */
const SELECT_STATES = `SELECT a.counters || jsonb_build_object('learners',
    (SELECT COALESCE(jsonb_object_agg(l.learner_id, l.entry), '{}'::jsonb) FROM ${LEARNERS} AS l
     WHERE l.achievement_id = a.achievement_id)) AS state
  FROM ${ACHIEVEMENTS} AS a`;

/** An achievement's folded analytics state, or undefined when nothing was recorded about it. */
export async function loadAchievementAnalyticsState(
  query: SqlQuery,
  achievementId: string,
): Promise<AchievementAnalyticsState | undefined> {
  const [row] = await query<{ state: AchievementAnalyticsState }>(`${SELECT_STATES} WHERE a.achievement_id = $1`, [
    achievementId,
  ]);
  return row?.state;
}

/** One achievement's figures, or undefined when the read model holds nothing about it. */
export async function achievementAnalytics(
  query: SqlQuery,
  achievementId: string,
): Promise<AchievementAnalytics | undefined> {
  const state = await loadAchievementAnalyticsState(query, achievementId);
  return state && summariseAchievement(state);
}

/** An issuer's figures summed over its achievements, or undefined when the read model holds none of them. */
export async function issuerAnalytics(query: SqlQuery, issuerId: string): Promise<IssuerAnalytics | undefined> {
  const rows = await query<{ state: AchievementAnalyticsState }>(
    `${SELECT_STATES} WHERE a.issuer_id = $1 ORDER BY a.achievement_id`,
    [issuerId],
  );
  return rows.length === 0
    ? undefined
    : summariseIssuer(
        issuerId,
        rows.map((row) => row.state),
      );
}
