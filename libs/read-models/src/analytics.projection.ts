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
import { AnalyticsAchievementEntity, AnalyticsLearnerEntity } from './typeorm/entities';

const ACHIEVEMENTS = 'tessera_analytics_achievements';
const LEARNERS = 'tessera_analytics_learners';
/** The state without its learners: what an achievement's row keeps. */
type Counters = Omit<AchievementAnalyticsState, 'learners'>;
type AnalyticsLearners = AchievementAnalyticsState['learners'];

/**
 * Analytics per achievement, folded with the domain's `applyAchievementAnalytics` over record streams and achievement
 * streams (which name the issuer): a row of counters per achievement and a row per learner of it, so that a batch
 * reads and writes only the achievements and learners it names (the fold needs no other learner), in one statement
 * each, in the runner's batch transaction with its checkpoint. An issuer's figures are summed at read time.
 */
export const analyticsProjection: Projection = {
  name: 'analytics',
  filter: { streamPrefix: [STREAM_PREFIX.record, STREAM_PREFIX.achievement] },
  version: 2,
  entities: [AnalyticsAchievementEntity, AnalyticsLearnerEntity],

  async apply(events, query) {
    const byAchievement = new Map<string, { events: RecordedEvent[]; learners: Set<string> }>();
    for (const event of events) {
      const achievementId = analyticsAchievementOf(event);
      if (achievementId === undefined) continue;
      const touched = byAchievement.get(achievementId) ?? { events: [], learners: new Set<string>() };
      touched.events.push(event);
      const learnerId = analyticsLearnerOf(event);
      if (learnerId !== undefined) touched.learners.add(learnerId);
      byAchievement.set(achievementId, touched);
    }
    if (byAchievement.size === 0) return;
    const named = [...byAchievement].map(([achievementId, touched]) => ({
      achievement_id: achievementId,
      learner_ids: [...touched.learners],
    }));
    const rows = await query<{ achievement_id: string; counters: Counters | null; learners: AnalyticsLearners }>(
      `SELECT named.achievement_id, a.counters,
         (SELECT COALESCE(jsonb_object_agg(l.learner_id, l.entry), '{}'::jsonb) FROM ${LEARNERS} AS l
          WHERE l.achievement_id = named.achievement_id
            AND l.learner_id IN (SELECT jsonb_array_elements_text(named.learner_ids))) AS learners
       FROM jsonb_to_recordset($1::jsonb) AS named(achievement_id text, learner_ids jsonb)
       LEFT JOIN ${ACHIEVEMENTS} AS a ON a.achievement_id = named.achievement_id`,
      [JSON.stringify(named)],
    );
    const achievements: Array<{ achievement_id: string; issuer_id?: string; counters: Counters; position: string }> =
      [];
    const learners: Array<{ achievement_id: string; learner_id: string; entry: AnalyticsLearner }> = [];
    for (const row of rows) {
      const touched = byAchievement.get(row.achievement_id);
      if (!touched) continue;
      const before: AchievementAnalyticsState = {
        ...(row.counters ?? initialAchievementAnalytics(row.achievement_id)),
        learners: row.learners,
      };
      const { learners: after, ...counters } = applyAchievementAnalytics(before, touched.events);
      achievements.push({
        achievement_id: row.achievement_id,
        issuer_id: counters.issuerId,
        counters,
        position: touched.events[touched.events.length - 1].position.toString(),
      });
      for (const learnerId of touched.learners) {
        const entry = after[learnerId];
        if (entry !== undefined && JSON.stringify(entry) !== JSON.stringify(before.learners[learnerId]))
          learners.push({ achievement_id: row.achievement_id, learner_id: learnerId, entry });
      }
    }
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
         SELECT achievement_id, learner_id, entry
         FROM jsonb_to_recordset($1::jsonb) AS r(achievement_id text, learner_id text, entry jsonb)
         ON CONFLICT (achievement_id, learner_id) DO UPDATE SET entry = EXCLUDED.entry`,
        [JSON.stringify(learners)],
      );
  },
};

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
