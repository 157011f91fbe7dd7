import {
  type Achievement,
  type AchievementEvent,
  evolveAchievement,
  initialAchievement,
  isAchievementEvent,
  latestVersion,
  STREAM_PREFIX,
} from '@app/domain';
import type { Projection, SqlQuery } from './projection';

/** The catalogue keeps each achievement's folded state (the domain's own fold) and the columns it is searched by. */
export const achievementCatalogueProjection: Projection = {
  name: 'achievement-catalogue',
  filter: { streamPrefix: STREAM_PREFIX.achievement },
  migration: `CREATE TABLE IF NOT EXISTS tessera_achievement_catalogue (
    achievement_id text PRIMARY KEY,
    issuer_id text NOT NULL,
    status text NOT NULL,
    kind text NOT NULL,
    title text NOT NULL,
    state jsonb NOT NULL
  );
  CREATE INDEX IF NOT EXISTS tessera_achievement_catalogue_issuer ON tessera_achievement_catalogue (issuer_id, achievement_id)`,

  async apply(events, query) {
    const touched = events
      .map((event) => event.data.achievementId)
      .filter((id): id is string => typeof id === 'string');
    const current = new Map(
      (
        await query<{ achievement_id: string; state: Achievement }>(
          'SELECT achievement_id, state FROM tessera_achievement_catalogue WHERE achievement_id IN (SELECT jsonb_array_elements_text($1::jsonb))',
          [JSON.stringify([...new Set(touched)])],
        )
      ).map((row) => [row.achievement_id, row.state]),
    );
    for (const event of events) {
      const domainEvent = { type: event.type, data: event.data } as AchievementEvent;
      if (!isAchievementEvent(domainEvent)) continue;
      const id = domainEvent.data.achievementId;
      current.set(id, evolveAchievement(current.get(id) ?? initialAchievement(), domainEvent));
    }
    const rows = [...current.values()].map(catalogueRow).filter((row) => row !== undefined);
    await query(
      `INSERT INTO tessera_achievement_catalogue (achievement_id, issuer_id, status, kind, title, state)
       SELECT r->>'achievementId', r->>'issuerId', r->>'status', r->>'kind', r->>'title', r->'state'
       FROM jsonb_array_elements($1::jsonb) AS r
       ON CONFLICT (achievement_id) DO UPDATE SET issuer_id = EXCLUDED.issuer_id, status = EXCLUDED.status,
         kind = EXCLUDED.kind, title = EXCLUDED.title, state = EXCLUDED.state`,
      [JSON.stringify(rows)],
    );
  },
};

function catalogueRow(state: Achievement) {
  const latest = latestVersion(state);
  if (state.status === 'none' || !latest) return undefined;
  return {
    achievementId: state.achievementId,
    issuerId: state.issuerId,
    status: state.status,
    kind: latest.definition.kind,
    title: latest.definition.title,
    state,
  };
}

export interface CatalogueFilter {
  readonly issuerId?: string;
  readonly kind?: string;
  readonly status?: string;
}

export async function listAchievements(query: SqlQuery, filter: CatalogueFilter): Promise<Achievement[]> {
  const rows = await query<{ state: Achievement }>(
    `SELECT state FROM tessera_achievement_catalogue
     WHERE ($1::text IS NULL OR issuer_id = $1) AND ($2::text IS NULL OR kind = $2) AND ($3::text IS NULL OR status = $3)
     ORDER BY issuer_id, achievement_id`,
    [filter.issuerId ?? null, filter.kind ?? null, filter.status ?? null],
  );
  return rows.map((row) => row.state);
}
