import {
  type AchievementAnalytics,
  type AchievementAnalyticsState,
  analyticsAchievementOf,
  applyAchievementAnalytics,
  initialAchievementAnalytics,
  type IssuerAnalytics,
  STREAM_PREFIX,
  summariseAchievement,
  summariseIssuer,
} from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { Projection, SqlQuery } from './projection';
import { AchievementAnalyticsEntity } from './typeorm/entities';

const TABLE = 'tessera_achievement_analytics';

/**
 * Analytics per achievement, folded with the domain's `evolveAchievementAnalytics` over record streams and achievement
 * streams (which name the issuer) and kept as jsonb, one row per achievement, written in the runner's batch
 * transaction with its checkpoint. An issuer's figures are summed at read time over its rows.
 */
export const analyticsProjection: Projection = {
  name: 'analytics',
  filter: { streamPrefix: [STREAM_PREFIX.record, STREAM_PREFIX.achievement] },
  version: 1,
  entities: [AchievementAnalyticsEntity],

  async apply(events, query) {
    const ids = [...new Set(events.map(analyticsAchievementOf).filter((id) => id !== undefined))];
    if (ids.length === 0) return;
    const rows = await query<{ achievement_id: string; state: AchievementAnalyticsState }>(
      `SELECT achievement_id, state FROM ${TABLE} WHERE achievement_id IN (SELECT jsonb_array_elements_text($1::jsonb))`,
      [JSON.stringify(ids)],
    );
    const states = new Map(rows.map((row) => [row.achievement_id, row.state]));
    const byAchievement = new Map<string, RecordedEvent[]>();
    for (const event of events) {
      const achievementId = analyticsAchievementOf(event);
      if (achievementId !== undefined)
        byAchievement.set(achievementId, [...(byAchievement.get(achievementId) ?? []), event]);
    }
    const positions = new Map<string, string>();
    for (const [achievementId, mine] of byAchievement) {
      const before = states.get(achievementId) ?? initialAchievementAnalytics(achievementId);
      states.set(achievementId, applyAchievementAnalytics(before, mine));
      positions.set(achievementId, mine[mine.length - 1].position.toString());
    }
    const updated = [...positions.keys()].map((achievementId) => {
      const state = states.get(achievementId);
      return { achievementId, issuerId: state?.issuerId ?? null, state, position: positions.get(achievementId) };
    });
    await query(
      `INSERT INTO ${TABLE} (achievement_id, issuer_id, state, position)
       SELECT r->>'achievementId', r->>'issuerId', r->'state', (r->>'position')::bigint
       FROM jsonb_array_elements($1::jsonb) AS r
       ON CONFLICT (achievement_id) DO UPDATE SET issuer_id = EXCLUDED.issuer_id, state = EXCLUDED.state,
         position = EXCLUDED.position`,
      [JSON.stringify(updated)],
    );
  },
};

/** An achievement's folded analytics state, or undefined when nothing was recorded about it. */
export async function loadAchievementAnalyticsState(
  query: SqlQuery,
  achievementId: string,
): Promise<AchievementAnalyticsState | undefined> {
  const [row] = await query<{ state: AchievementAnalyticsState }>(
    `SELECT state FROM ${TABLE} WHERE achievement_id = $1`,
    [achievementId],
  );
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
    `SELECT state FROM ${TABLE} WHERE issuer_id = $1 ORDER BY achievement_id`,
    [issuerId],
  );
  return rows.length === 0
    ? undefined
    : summariseIssuer(
        issuerId,
        rows.map((row) => row.state),
      );
}
