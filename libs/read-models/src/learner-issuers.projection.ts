import { achievementStream, pathwayStream, STREAM_PREFIX } from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import type { Projection, SqlQuery } from './projection';
import { columns, type RowModel, rowProjection } from './row-model';
import { DefinitionIssuerEntity, LearnerStreamEntity } from './typeorm/entities';

const STREAMS = 'tessera_learner_streams';
const DEFINITIONS = 'tessera_definition_issuers';

/** Where an event of a learner's streams belongs: the definition stream whose issuer holds it, or the issuer itself. */
function placeOf(event: {
  stream: string;
  type: string;
  data: object;
}): { learnerId: string; stream: string; definition?: string; issuerId?: string } | undefined {
  const data = event.data as { learnerId?: string; achievementId?: string; pathwayId?: string; issuerId?: string };
  if (typeof data.learnerId !== 'string') return undefined;
  const base = { learnerId: data.learnerId, stream: event.stream };
  if (event.stream.startsWith(STREAM_PREFIX.record) && typeof data.achievementId === 'string')
    return { ...base, definition: achievementStream(data.achievementId) };
  if (event.stream.startsWith(STREAM_PREFIX.qualification) && typeof data.pathwayId === 'string')
    return { ...base, definition: pathwayStream(data.pathwayId) };
  if (event.type === 'LearnerProfileRecorded' && typeof data.issuerId === 'string')
    return { ...base, issuerId: data.issuerId };
  return undefined;
}

/** A definition's issuer, or a learner's stream placed with its issuer or with the definition that names it. */
type HoldingRow =
  | { readonly definition: { readonly stream: string; readonly issuerId: string } }
  | { readonly place: NonNullable<ReturnType<typeof placeOf>> };

function holdingsOf(events: readonly RecordedEvent[]): Array<[string, HoldingRow]> {
  return events.flatMap((event): Array<[string, HoldingRow]> => {
    const { issuerId } = event.data as { issuerId?: unknown };
    const isDefinition =
      event.stream.startsWith(STREAM_PREFIX.achievement) || event.stream.startsWith(STREAM_PREFIX.pathway);
    const rows: Array<[string, HoldingRow]> =
      isDefinition && typeof issuerId === 'string'
        ? [[`d\u0000${event.stream}`, { definition: { stream: event.stream, issuerId } }]]
        : [];
    const place = placeOf(event);
    if (place)
      rows.push([
        `p\u0000${place.learnerId}\u0000${place.stream}\u0000${place.issuerId ?? ''}\u0000${place.definition ?? ''}`,
        { place },
      ]);
    return rows;
  });
}

/**
 * The definitions' issuers and the learners' streams, by key. The first row written under a key is kept (`ON CONFLICT
 * DO NOTHING`), so no row is read back; a place's issuer is its definition's, joined as it is written, so definitions
 * are written before places.
 */
const holdingRows: RowModel<HoldingRow> = {
  keysOf: (events) => holdingsOf(events).map(([key]) => key),
  fold(events, known) {
    const added = new Map<string, HoldingRow>();
    for (const [key, row] of holdingsOf(events)) if (!known.has(key) && !added.has(key)) added.set(key, row);
    return added;
  },
  async write(query, rows) {
    const definitions = [...rows.values()].flatMap((row) => ('definition' in row ? [row.definition] : []));
    const places = [...rows.values()].flatMap((row) => ('place' in row ? [row.place] : []));
    const placeColumns = columns(places, [
      (place) => place.learnerId,
      (place) => place.stream,
      (place) => place.issuerId,
      (place) => place.definition,
    ]);
    if (definitions.length > 0)
      await query(
        `INSERT INTO ${DEFINITIONS} (stream_name, issuer_id) SELECT * FROM unnest($1::text[], $2::text[])
         ON CONFLICT (stream_name) DO NOTHING`,
        columns(definitions, [(definition) => definition.stream, (definition) => definition.issuerId]),
      );
    if (places.length === 0) return;
    await query(
      `INSERT INTO ${STREAMS} (learner_id, stream_name, issuer_id)
       SELECT r.learner_id, r.stream_name, COALESCE(r.issuer_id, d.issuer_id)
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS r(learner_id, stream_name, issuer_id, definition)
       LEFT JOIN ${DEFINITIONS} AS d ON d.stream_name = r.definition
       WHERE COALESCE(r.issuer_id, d.issuer_id) IS NOT NULL
       ON CONFLICT DO NOTHING`,
      placeColumns,
    );
  },
};

/**
 * Which issuers hold something about each learner, stream by stream: a record stream (evidence included) of an
 * achievement of the issuer, a qualification stream of a pathway of the issuer, or a profile the issuer's registrar
 * recorded. Staff of an issuer reach a learner, and see the streams, that it holds. The issuer of each achievement and
 * pathway is kept from its definition event, which the global order puts before any record of it.
 */
export const learnerIssuersProjection: Projection = rowProjection({
  name: 'learner-issuers',
  filter: {
    streamPrefix: [
      STREAM_PREFIX.achievement,
      STREAM_PREFIX.pathway,
      STREAM_PREFIX.record,
      STREAM_PREFIX.qualification,
      STREAM_PREFIX.learner,
    ],
  },
  version: 1,
  entities: [DefinitionIssuerEntity, LearnerStreamEntity],
  rows: holdingRows,
});

/** A learner's stream held by an issuer. */
export interface LearnerStreamHolding {
  readonly stream: string;
  readonly issuerId: string;
}

/** The streams about a learner that these issuers hold (every issuer's when `issuerIds` is undefined). */
/**
 * `learnerHoldings` with the position the read model has reached, in one statement: a reader whose answer is built from
 * events up to some position uses the holdings at once when the model is that far, and waits otherwise.
 */
export async function learnerHoldingsRead(
  query: SqlQuery,
  learnerId: string,
  issuerIds?: readonly string[],
): Promise<{ holdings: LearnerStreamHolding[]; checkpoint: bigint | undefined }> {
  const [row] = await query<{ holdings: LearnerStreamHolding[]; checkpoint: string | null }>(
    `SELECT (SELECT position::text FROM tessera_checkpoints WHERE projection = $3) AS checkpoint,
       COALESCE((SELECT jsonb_agg(jsonb_build_object('stream', stream_name, 'issuerId', issuer_id)
                                  ORDER BY stream_name, issuer_id)
                 FROM ${STREAMS}
                 WHERE learner_id = $1
                   AND ($2::jsonb IS NULL OR issuer_id IN (SELECT jsonb_array_elements_text($2::jsonb)))), '[]'::jsonb)
         AS holdings`,
    [learnerId, issuerIds === undefined ? null : JSON.stringify(issuerIds), learnerIssuersProjection.name],
  );
  return { holdings: row.holdings, checkpoint: row.checkpoint === null ? undefined : BigInt(row.checkpoint) };
}

export async function learnerHoldings(
  query: SqlQuery,
  learnerId: string,
  issuerIds?: readonly string[],
): Promise<LearnerStreamHolding[]> {
  const rows = await query<{ stream_name: string; issuer_id: string }>(
    `SELECT stream_name, issuer_id FROM ${STREAMS}
     WHERE learner_id = $1 AND ($2::jsonb IS NULL OR issuer_id IN (SELECT jsonb_array_elements_text($2::jsonb)))
     ORDER BY stream_name, issuer_id`,
    [learnerId, issuerIds === undefined ? null : JSON.stringify(issuerIds)],
  );
  return rows.map((row) => ({ stream: row.stream_name, issuerId: row.issuer_id }));
}
