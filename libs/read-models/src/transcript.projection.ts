import {
  type Achievement,
  type AchievementLookup,
  type AchievementSummary,
  type AwardStatus,
  awardStatusAt,
  evolveTranscript,
  findVersion,
  initialTranscript,
  STREAM_PREFIX,
  transcriptLearnerOf,
  type TranscriptState,
} from '@app/domain';
import type { Projection, SqlQuery } from './projection';
import { columns, type RowModel, rowProjection } from './row-model';
import { TranscriptAwardEntity, TranscriptEntity } from './typeorm/entities';

const STATES = 'tessera_transcripts';
const AWARDS = 'tessera_transcript_awards';

/** A learner's row: the folded transcript, the position of its last event, and when (ISO) it was last folded. */
interface TranscriptRow {
  readonly state: TranscriptState;
  readonly position: string;
  /**
   * The recording time of the last event of the batch that last changed it (its awards' `status` is computed then);
   * absent on a row loaded, which is written again only once a fold changed it.
   */
  readonly at?: string;
}

const transcriptRows: RowModel<TranscriptRow> = {
  keysOf: (events) => events.map(transcriptLearnerOf).filter((id) => id !== undefined),
  async load(query, learners) {
    const rows = await query<{ learner_id: string; state: TranscriptState; position: string }>(
      `SELECT learner_id, state, position::text AS position FROM ${STATES}
       WHERE learner_id IN (SELECT jsonb_array_elements_text($1::jsonb))`,
      [JSON.stringify(learners)],
    );
    return new Map(rows.map((row) => [row.learner_id, { state: row.state, position: row.position }]));
  },
  fold(events, rows) {
    const changed = new Map<string, TranscriptRow>();
    const at = events[events.length - 1].recordedAt.toISOString();
    for (const event of events) {
      const learnerId = transcriptLearnerOf(event);
      if (learnerId === undefined) continue;
      const before = changed.get(learnerId)?.state ?? rows.get(learnerId)?.state ?? initialTranscript(learnerId);
      changed.set(learnerId, { state: evolveTranscript(before, event), position: event.position.toString(), at });
    }
    return changed;
  },
  async write(query, rows) {
    const states = columns(
      [...rows],
      [([learnerId]) => learnerId, ([, row]) => JSON.stringify(row.state), ([, row]) => row.position],
    );
    const awards = [...rows.values()].flatMap(({ state, at }) => {
      if (at === undefined) throw new Error('a transcript row is written only as a fold left it');
      return state.awards.map((award) => ({
        awardId: award.awardId,
        learnerId: state.learnerId,
        issuerId: award.issuerId,
        achievementId: award.achievementId,
        version: award.version,
        status: awardStatusAt(award, at),
        standing: award.standing,
        issuedAt: award.issuedAt,
        validUntil: award.validUntil ?? null,
      }));
    });
    const awardColumns = columns(awards, [
      (award) => award.awardId,
      (award) => award.learnerId,
      (award) => award.issuerId,
      (award) => award.achievementId,
      (award) => award.version,
      (award) => award.status,
      (award) => award.standing,
      (award) => award.issuedAt,
      (award) => award.validUntil,
    ]);
    await query(
      `INSERT INTO ${STATES} (learner_id, state, position)
       SELECT learner_id, state::jsonb, position FROM unnest($1::text[], $2::text[], $3::bigint[])
         AS r(learner_id, state, position)
       ON CONFLICT (learner_id) DO UPDATE SET state = EXCLUDED.state, position = EXCLUDED.position`,
      states,
    );
    if (awards.length === 0) return;
    // An award id is one learner's: a row that another learner holds is not overwritten, and the batch fails.
    const written = await query<{ award_id: string }>(
      `INSERT INTO ${AWARDS} (award_id, learner_id, issuer_id, achievement_id, version, status, standing, issued_at,
         valid_until)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::integer[], $6::text[], $7::text[],
         $8::timestamptz[], $9::timestamptz[])
       ON CONFLICT (award_id) DO UPDATE SET status = EXCLUDED.status, standing = EXCLUDED.standing,
         valid_until = EXCLUDED.valid_until
       WHERE ${AWARDS}.learner_id = EXCLUDED.learner_id
       RETURNING award_id`,
      awardColumns,
    );
    // The message reaches the public /health: it names no award or learner (the failed event's position does).
    if (written.length < awards.length)
      throw new Error('an award id is already held by another learner: one transcript award row cannot hold both');
  },
};

/**
 * Each learner's transcript, folded with the domain's `evolveTranscript` (the fold the as-of replay uses), kept as
 * jsonb; and a row per award for the registrar's search. `status` is the award's status when the row was last written;
 * a search computes the status at its own instant from `standing` and `valid_until`.
 */
export const transcriptProjection: Projection = rowProjection({
  name: 'transcript',
  filter: { streamPrefix: [STREAM_PREFIX.record, STREAM_PREFIX.qualification] },
  // 2: awards keep each change of their standing with its date, for transcripts at an effective date.
  version: 2,
  entities: [TranscriptEntity, TranscriptAwardEntity],
  rows: transcriptRows,
});

/** A learner's folded transcript as the read model holds it, or undefined when nothing was recorded about them. */
export async function loadTranscriptState(query: SqlQuery, learnerId: string): Promise<TranscriptState | undefined> {
  const [row] = await query<{ state: TranscriptState }>(`SELECT state FROM ${STATES} WHERE learner_id = $1`, [
    learnerId,
  ]);
  return row?.state;
}

/**
 * A learner's folded transcript with the position the read model has reached, in one statement: the answer and the
 * position its tenancy view must be at least as recent as.
 */
export async function loadTranscriptRead(
  query: SqlQuery,
  learnerId: string,
): Promise<{ state: TranscriptState | undefined; checkpoint: bigint | undefined }> {
  const [row] = await query<{ state: TranscriptState | null; checkpoint: string | null }>(
    `SELECT (SELECT state FROM ${STATES} WHERE learner_id = $1) AS state,
       (SELECT position::text FROM tessera_checkpoints WHERE projection = $2) AS checkpoint`,
    [learnerId, transcriptProjection.name],
  );
  return { state: row.state ?? undefined, checkpoint: row.checkpoint === null ? undefined : BigInt(row.checkpoint) };
}

/** The folded transcripts of the learners named that the read model holds, in learner id order. */
export async function loadTranscriptStates(query: SqlQuery, learnerIds: readonly string[]): Promise<TranscriptState[]> {
  if (learnerIds.length === 0) return [];
  const rows = await query<{ state: TranscriptState }>(
    `SELECT state FROM ${STATES} WHERE learner_id IN (SELECT jsonb_array_elements_text($1::jsonb)) ORDER BY learner_id`,
    [JSON.stringify(learnerIds)],
  );
  return rows.map((row) => row.state);
}

/**
 * A page of learners in id order, strictly after `after`, at most `limit`: those holding or having held an award of
 * any of `achievementIds`, or, when it is undefined, every learner with a transcript. Each achievement is read in
 * (achievement_id, learner_id) index order from `after` on, so a page costs about `limit` rows per achievement
 * however many learners there are.
 */
export async function learnersHoldingAny(
  query: SqlQuery,
  achievementIds: readonly string[] | undefined,
  page: { readonly after?: string; readonly limit: number },
): Promise<string[]> {
  const after = page.after ?? '';
  const rows =
    achievementIds === undefined
      ? await query<{ learner_id: string }>(
          `SELECT learner_id FROM ${STATES} WHERE learner_id > $1::text COLLATE "C" ORDER BY learner_id LIMIT $2`,
          [after, page.limit],
        )
      : await query<{ learner_id: string }>(
          `SELECT DISTINCT holder.learner_id FROM jsonb_array_elements_text($1::jsonb) AS named(achievement_id)
           CROSS JOIN LATERAL (
             SELECT DISTINCT learner_id FROM ${AWARDS}
             WHERE achievement_id = named.achievement_id AND learner_id > $2::text COLLATE "C"
             ORDER BY learner_id LIMIT $3
           ) AS holder
           ORDER BY holder.learner_id LIMIT $3`,
          [JSON.stringify([...new Set(achievementIds)]), after, page.limit],
        );
  return rows.map((row) => row.learner_id);
}

export interface TranscriptSearch {
  /** The issuers whose awards are searched: the caller's, or the one of them asked for. */
  readonly issuerIds: readonly string[];
  readonly achievementId?: string;
  /** Learners whose id starts with this (taken literally: `%` and `_` match themselves). */
  readonly learnerIdPrefix?: string;
  readonly status?: AwardStatus;
  /** The instant statuses are computed at (ISO 8601). */
  readonly at: string;
  readonly limit: number;
  /** Exclusive: rows strictly after this (learnerId, awardId). */
  readonly after?: { readonly learnerId: string; readonly awardId: string };
}

export interface TranscriptAwardRow {
  readonly learnerId: string;
  readonly awardId: string;
  readonly issuerId: string;
  readonly achievementId: string;
  readonly version: number;
  readonly status: AwardStatus;
  readonly issuedAt: string;
  readonly validUntil?: string;
}

/** Awards across learners, filtered, in the stable order (learner_id, award_id); at most `limit` of them. */
export async function searchTranscriptAwards(query: SqlQuery, search: TranscriptSearch): Promise<TranscriptAwardRow[]> {
  const rows = await query<{
    learner_id: string;
    award_id: string;
    issuer_id: string;
    achievement_id: string;
    version: number;
    status: AwardStatus;
    issued_at: Date | string;
    valid_until: Date | string | null;
  }>(
    `SELECT * FROM (
       SELECT learner_id, award_id, issuer_id, achievement_id, version, issued_at, valid_until,
         CASE WHEN standing = 'revoked' THEN 'revoked' WHEN standing = 'suspended' THEN 'suspended'
              WHEN valid_until IS NOT NULL AND valid_until <= $1::timestamptz THEN 'expired' ELSE 'valid' END AS status
       FROM ${AWARDS}
       WHERE issuer_id IN (SELECT jsonb_array_elements_text($2::jsonb)) AND ($3::text IS NULL OR achievement_id = $3)
         AND ($4::text IS NULL OR (learner_id, award_id) > ($4::text COLLATE "C", $5::text COLLATE "C"))
         AND ($8::text IS NULL OR learner_id LIKE $8::text COLLATE "C")
     ) AS awards
     WHERE ($6::text IS NULL OR status = $6)
     ORDER BY learner_id, award_id
     LIMIT $7`,
    [
      search.at,
      JSON.stringify(search.issuerIds),
      search.achievementId ?? null,
      search.after?.learnerId ?? null,
      search.after?.awardId ?? null,
      search.status ?? null,
      search.limit,
      search.learnerIdPrefix === undefined ? null : `${search.learnerIdPrefix.replace(/[\\%_]/g, '\\$&')}%`,
    ],
  );
  const iso = (value: Date | string): string => new Date(value).toISOString();
  return rows.map((row) => ({
    learnerId: row.learner_id,
    awardId: row.award_id,
    issuerId: row.issuer_id,
    achievementId: row.achievement_id,
    version: Number(row.version),
    status: row.status,
    issuedAt: iso(row.issued_at),
    ...(row.valid_until === null ? {} : { validUntil: iso(row.valid_until) }),
  }));
}

/**
 * Titles and kinds of the achievements named, per version, from the achievement catalogue's folded states: the lookup
 * a transcript joins at read time. Achievements the catalogue does not hold (yet) are left out.
 */
export async function achievementSummaries(
  query: SqlQuery,
  achievementIds: readonly string[],
): Promise<Map<string, Achievement>> {
  if (achievementIds.length === 0) return new Map();
  const rows = await query<{ id: string; state: Achievement }>(
    `SELECT id, state FROM tessera_achievement_catalogue WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb))`,
    [JSON.stringify([...new Set(achievementIds)])],
  );
  return new Map(rows.map((row) => [row.id, row.state]));
}

/** The lookup `transcriptAt` takes, over folded achievements. */
export function achievementLookup(achievements: ReadonlyMap<string, Achievement>): AchievementLookup {
  return (achievementId, version): AchievementSummary | undefined => {
    const achievement = achievements.get(achievementId);
    const found = achievement && findVersion(achievement, version);
    return found ? { title: found.definition.title, kind: found.definition.kind } : undefined;
  };
}

/**
 * The learner holding (or having held) a qualification, from the folded transcripts: what places a qualification's
 * stream. Scans the learners' states (no index): qualification credentials are fetched rarely.
 */
export async function findQualificationHolder(query: SqlQuery, qualificationId: string): Promise<string | undefined> {
  const [row] = await query<{ learner_id: string }>(
    `SELECT learner_id FROM ${STATES} WHERE state->'qualifications' @> $1::jsonb LIMIT 1`,
    [JSON.stringify([{ qualificationId }])],
  );
  return row?.learner_id;
}
