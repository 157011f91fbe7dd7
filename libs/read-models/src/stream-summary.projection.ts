import type { GlobalPosition, RecordedEvent } from '@app/event-store';
import type { Projection, SqlQuery } from './projection';
import { columns, type RowModel, rowProjection } from './row-model';
import { StreamSummaryEntity } from './typeorm/entities';

/**
 * One row per stream: what is in it and where it last changed. Auditors and operators list streams from it; a learner's
 * ledger and the pathways are found through it (streamsUnderPrefixes) instead of a scan of the log.
 */
export interface StreamSummary {
  readonly stream: string;
  /** The stream's category: its name up to the first '-' (issuer, achievement, record, …). */
  readonly category: string;
  readonly eventCount: number;
  readonly lastRevision: bigint;
  readonly lastPosition: bigint;
  readonly lastEventType: string;
  readonly lastRecordedAt: Date;
}

export const categoryOf = (stream: string): string => stream.split('-', 1)[0];

/** The pure fold: a summary evolved by one event. */
export function evolveStreamSummary(summary: StreamSummary | undefined, event: RecordedEvent): StreamSummary {
  return {
    stream: event.stream,
    category: categoryOf(event.stream),
    eventCount: (summary?.eventCount ?? 0) + 1,
    lastRevision: event.revision,
    lastPosition: event.position,
    lastEventType: event.type,
    lastRecordedAt: event.recordedAt,
  };
}

/** Folds a batch into the summaries it touches, starting from what the table holds. */
export function foldStreamSummaries(
  events: readonly RecordedEvent[],
  current: ReadonlyMap<string, StreamSummary> = new Map(),
): Map<string, StreamSummary> {
  const touched = new Map<string, StreamSummary>();
  for (const event of events)
    touched.set(event.stream, evolveStreamSummary(touched.get(event.stream) ?? current.get(event.stream), event));
  return touched;
}

interface SummaryRow {
  stream_name: string;
  category: string;
  event_count: number;
  last_revision: string;
  last_position: string;
  last_event_type: string;
  last_recorded_at: Date;
}

const toSummary = (row: SummaryRow): StreamSummary => ({
  stream: row.stream_name,
  category: row.category,
  eventCount: row.event_count,
  lastRevision: BigInt(row.last_revision),
  lastPosition: BigInt(row.last_position),
  lastEventType: row.last_event_type,
  lastRecordedAt: new Date(row.last_recorded_at),
});

const SELECT_SUMMARY = `SELECT stream_name, category, event_count, last_revision::text AS last_revision,
  last_position::text AS last_position, last_event_type, last_recorded_at FROM tessera_stream_summary`;

/** The summaries by stream name. */
const summaryRows: RowModel<StreamSummary> = {
  keysOf: (events) => events.map((event) => event.stream),
  async load(query, streams) {
    const rows = await query<SummaryRow>(
      `${SELECT_SUMMARY} WHERE stream_name IN (SELECT jsonb_array_elements_text($1::jsonb))`,
      [JSON.stringify(streams)],
    );
    return new Map(rows.map((row) => [row.stream_name, toSummary(row)]));
  },
  fold: (events, current) => foldStreamSummaries(events, current),
  async write(query, summaries) {
    const rows = [...summaries.values()];
    await query(
      `INSERT INTO tessera_stream_summary AS s
         (stream_name, category, event_count, last_revision, last_position, last_event_type, last_recorded_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::bigint[], $5::bigint[], $6::text[], $7::timestamptz[])
       ON CONFLICT (stream_name) DO UPDATE SET event_count = EXCLUDED.event_count, last_revision = EXCLUDED.last_revision,
         last_position = EXCLUDED.last_position, last_event_type = EXCLUDED.last_event_type,
         last_recorded_at = EXCLUDED.last_recorded_at`,
      columns(rows, [
        (row) => row.stream,
        (row) => row.category,
        (row) => row.eventCount,
        (row) => row.lastRevision.toString(),
        (row) => row.lastPosition.toString(),
        (row) => row.lastEventType,
        (row) => row.lastRecordedAt.toISOString(),
      ]),
    );
  },
};

export const streamSummaryProjection: Projection = rowProjection({
  name: 'stream-summary',
  version: 1,
  entities: [StreamSummaryEntity],
  rows: summaryRows,
});

export async function listStreamSummaries(query: SqlQuery, category?: string): Promise<StreamSummary[]> {
  const rows = await query<SummaryRow>(
    `${SELECT_SUMMARY} WHERE ($1::text IS NULL OR category = $1) ORDER BY stream_name`,
    [category ?? null],
  );
  return rows.map(toSummary);
}

/** What the summary knows of the streams under some prefixes, and the position it is complete to. */
export interface StreamsUnderPrefixes {
  /** The summary's streams whose names start with one of the prefixes, by name. */
  readonly streams: string[];
  /** The summary's checkpoint: every event at or below it is in the summary. Undefined before its first batch. */
  readonly completeTo: GlobalPosition | undefined;
}

/**
 * The streams whose names start with one of `prefixes` (a learner's record and qualification streams), read with the
 * summary's checkpoint in one statement so that the two agree: a reader adds what the store holds past `completeTo`.
 */
export async function streamsUnderPrefixes(
  query: SqlQuery,
  prefixes: readonly string[],
): Promise<StreamsUnderPrefixes> {
  const [row] = await query<{ checkpoint: string | null; streams: string[] }>(STREAMS_UNDER_PREFIXES, [
    JSON.stringify(prefixes),
    streamSummaryProjection.name,
  ]);
  return { streams: row.streams, completeTo: row.checkpoint === null ? undefined : BigInt(row.checkpoint) };
}

/**
 * A range of the name index per prefix ([prefix, prefix + the last code point)), so that each is an index scan: a
 * `LIKE` whose pattern is a parameter is planned as a scan of the whole table (300,000 rows at a million events: 70 ms
 * a read), and `starts_with` keeps the answer exact.
 */
export const STREAMS_UNDER_PREFIXES = `SELECT (SELECT position::text FROM tessera_checkpoints WHERE projection = $2) AS checkpoint,
   COALESCE((SELECT jsonb_agg(DISTINCT s.stream_name ORDER BY s.stream_name)
             FROM jsonb_array_elements_text($1::jsonb) AS p(prefix)
             JOIN tessera_stream_summary AS s
               ON s.stream_name ~>=~ p.prefix AND s.stream_name ~<~ (p.prefix || chr(1114111))
              AND starts_with(s.stream_name, p.prefix)), '[]'::jsonb) AS streams`;
