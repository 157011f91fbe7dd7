import { parseRecordStream } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { Projection, SqlQuery } from './projection';
import { columns, type RowModel, rowProjection } from './row-model';
import { AwardIndexEntity } from './typeorm/entities';

export interface AwardLocation {
  readonly awardId: string;
  readonly learnerId: string;
  readonly achievementId: string;
  /** When the award expires, if it does: the expiry sweep re-evaluates the learner then. */
  readonly validUntil?: string;
}

/** Where an award lives: the record stream of its learner and achievement. */
export function awardLocationOf(event: Pick<RecordedEvent, 'type' | 'stream' | 'data'>): AwardLocation | undefined {
  const record = parseRecordStream(event.stream);
  if (event.type !== 'AchievementAwarded' || !record || typeof event.data.awardId !== 'string') return undefined;
  const validUntil = typeof event.data.validUntil === 'string' ? event.data.validUntil : undefined;
  return { awardId: event.data.awardId, ...record, ...(validUntil ? { validUntil } : {}) };
}

/** Idempotent: a CSV import writes it at once (its awards' credentials answer before a projection runs), the projection again on replay. */
export async function indexAwards(query: SqlQuery, locations: readonly AwardLocation[]): Promise<void> {
  if (locations.length === 0) return;
  await query(
    `INSERT INTO tessera_award_index (award_id, learner_id, achievement_id, valid_until)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])
     ON CONFLICT (award_id) DO NOTHING`,
    columns(locations, [
      (location) => location.awardId,
      (location) => location.learnerId,
      (location) => location.achievementId,
      (location) => location.validUntil,
    ]),
  );
}

export async function findAward(query: SqlQuery, awardId: string): Promise<AwardLocation | undefined> {
  const [row] = await query<{ learner_id: string; achievement_id: string }>(
    'SELECT learner_id, achievement_id FROM tessera_award_index WHERE award_id = $1',
    [awardId],
  );
  return row && { awardId, learnerId: row.learner_id, achievementId: row.achievement_id };
}

/** Awards that expired in (after, upTo], oldest first: what the expiry sweep reacts to. */
export async function awardsExpiredBetween(
  query: SqlQuery,
  after: Date,
  upTo: Date,
): Promise<Required<AwardLocation>[]> {
  const rows = await query<{ award_id: string; learner_id: string; achievement_id: string; valid_until: Date }>(
    `SELECT award_id, learner_id, achievement_id, valid_until FROM tessera_award_index
     WHERE valid_until > $1 AND valid_until <= $2 ORDER BY valid_until, award_id`,
    [after.toISOString(), upTo.toISOString()],
  );
  return rows.map((row) => ({
    awardId: row.award_id,
    learnerId: row.learner_id,
    achievementId: row.achievement_id,
    validUntil: new Date(row.valid_until).toISOString(),
  }));
}

const locationsOf = (events: readonly RecordedEvent[]): AwardLocation[] =>
  events.map(awardLocationOf).filter((location): location is AwardLocation => location !== undefined);

/** Where each award lives, by award id: the first location written for an id is kept, so no row is read back. */
const awardRows: RowModel<AwardLocation> = {
  keysOf: (events) => locationsOf(events).map((location) => location.awardId),
  fold(events, known) {
    const added = new Map<string, AwardLocation>();
    for (const location of locationsOf(events))
      if (!known.has(location.awardId) && !added.has(location.awardId)) added.set(location.awardId, location);
    return added;
  },
  write: (query, locations) => indexAwards(query, [...locations.values()]),
};

export const awardIndexProjection: Projection = rowProjection({
  name: 'award-index',
  filter: { eventTypes: ['AchievementAwarded'] },
  version: 1,
  entities: [AwardIndexEntity],
  rows: awardRows,
});
