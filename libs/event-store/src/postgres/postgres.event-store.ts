import {
  assertValidFilter,
  assertValidStreamName,
  type CheckedEvent,
  type CheckedStreamAppend,
  checkAppend,
  appendEachInTurn,
  checkBatch,
} from '../append-validation';
import { AppendSignal, catchUp, type FeedBatch } from '../catch-up-subscription';
import {
  EventStoreError,
  CommandKeyTaken,
  IdClaimedByAnotherStream,
  InvalidEvent,
  StoreUnavailable,
  StreamNotFound,
  WrongExpectedVersion,
} from '../event-store.errors';
import type {
  AppendOptions,
  AppendResult,
  EventFilter,
  EventStore,
  ExpectedRevision,
  JsonObject,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  ReadStreamsOptions,
  RecordedEvent,
  StreamAppend,
  StreamAppendResult,
  StreamsRead,
  SubscribeOptions,
} from '../event-store.port';
import { migrate } from './migrate';
import { MIGRATION, MIGRATION_LOCK, POSITIONS_PER_TRANSACTION, VISIBLE_BELOW } from './postgres.schema';
import type { SqlClient } from './sql-client';

interface EventRow {
  position: string;
  event_id: string;
  stream_name: string;
  stream_revision: string;
  type: string;
  data: JsonObject;
  metadata: JsonObject;
  recorded_at: Date;
}

const EVENT_COLUMNS =
  'position::text AS position, event_id, stream_name, stream_revision::text AS stream_revision, type, data, metadata, recorded_at';

/**
 * Claims the next revisions of the stream, or claims nothing when the expected revision does not hold — or, keyed, when
 * the append's key is held by another request (`gate`). `revision`: the parameter of an exact expected revision.
 */
const CLAIM_REVISIONS: Record<'any' | 'no_stream' | 'stream_exists' | 'exact', (gate: Gate) => string> = {
  any: (gate) => `INSERT INTO tessera_streams AS s (stream_name, revision) ${gate.values('$1, $2::bigint - 1')}
        ON CONFLICT (stream_name) DO UPDATE SET revision = s.revision + $2::bigint
        RETURNING revision - $2::bigint + 1 AS first_revision`,
  no_stream: (gate) => `INSERT INTO tessera_streams (stream_name, revision) ${gate.values('$1, $2::bigint - 1')}
        ON CONFLICT DO NOTHING RETURNING 0::bigint AS first_revision`,
  stream_exists: (
    gate,
  ) => `UPDATE tessera_streams SET revision = revision + $2::bigint WHERE stream_name = $1${gate.and}
        RETURNING revision - $2::bigint + 1 AS first_revision`,
  exact: (gate) => `UPDATE tessera_streams SET revision = revision + $2::bigint
        WHERE stream_name = $1 AND revision = ${gate.revision}::bigint${gate.and}
        RETURNING revision - $2::bigint + 1 AS first_revision`,
};

/** What makes an append's revision claim conditional on its key, and where its parameters are. */
interface Gate {
  values(row: string): string;
  readonly and: string;
  readonly revision: string;
}

const UNKEYED: Gate = { values: (row) => `VALUES (${row})`, and: '', revision: '$4' };
/** Keyed: $4 subject, $5 key, $6 fingerprint, then $7 the exact revision. */
const KEYED: Gate = {
  values: (row) => `SELECT ${row} WHERE NOT EXISTS (SELECT 1 FROM held WHERE held.request_hash <> $6)`,
  and: ' AND NOT EXISTS (SELECT 1 FROM held WHERE held.request_hash <> $6)',
  revision: '$7',
};

/**
 * Who holds the append's key ($4, $5) as the statement starts: another fingerprint than $6, and the append claims no
 * revision (`key_taken`); the same one (a twin, a retry), and it is kept; nobody, and the append takes it (TAKE_KEY).
 */
const HELD = `held AS (SELECT request_hash FROM tessera_idempotency WHERE subject = $4 AND key = $5),`;

/**
 * Takes a free key with the claimed revisions, and only with them: an append refused for its revision takes no key.
 * Taken meanwhile by a request that committed first, the key breaks tessera_idempotency_pkey and so undoes the append.
 */
const TAKE_KEY = `keyed AS (
  INSERT INTO tessera_idempotency (subject, key, request_hash)
  SELECT $4, $5, $6 FROM claimed WHERE NOT EXISTS (SELECT 1 FROM held)
),`;

/**
 * One statement per append: one round trip, atomic without an explicit transaction. The events' claims the stream does
 * not hold yet are inserted; one that another stream holds breaks tessera_claims_pkey and so undoes the whole append.
 * Keyed, the revision claim also needs the key free or the append's own (HELD, TAKE_KEY).
 */
const appendStatement = (claim: string, keyed: boolean) => `
WITH ${keyed ? HELD : ''} claimed AS (${claim}),
${keyed ? TAKE_KEY : ''} taken AS (
  INSERT INTO tessera_claims (id, stream_name)
  SELECT DISTINCT c.id, $1 FROM claimed, jsonb_array_elements($3::jsonb) AS e(value),
         jsonb_array_elements_text(e.value->'claims') AS c(id)
  WHERE NOT EXISTS (SELECT 1 FROM tessera_claims h WHERE h.id = c.id AND h.stream_name = $1)
),
appended AS (
  INSERT INTO tessera_events (position, event_id, stream_name, stream_revision, type, data, metadata)
  SELECT pg_current_xact_id()::text::bigint * ${POSITIONS_PER_TRANSACTION} + e.ordinality,
         (e.value->>'id')::uuid, $1, claimed.first_revision + e.ordinality - 1,
         e.value->>'type', e.value->'data', e.value->'metadata'
  FROM claimed, jsonb_array_elements($3::jsonb) WITH ORDINALITY AS e(value, ordinality)
  RETURNING position, stream_revision
)
SELECT max(position)::text AS position, max(stream_revision)::text AS revision${
  keyed ? ', EXISTS (SELECT 1 FROM held WHERE held.request_hash <> $6) AS key_taken' : ''
} FROM appended`;

const appendStatements = (gate: Gate, keyed: boolean) =>
  Object.fromEntries(
    Object.entries(CLAIM_REVISIONS).map(([expected, claim]) => [expected, appendStatement(claim(gate), keyed)]),
  ) as Record<keyof typeof CLAIM_REVISIONS, string>;

const APPEND_STATEMENTS = appendStatements(UNKEYED, false);
const KEYED_APPEND_STATEMENTS = appendStatements(KEYED, true);

/** Streams' events by name, $1. */
const READ_STREAMS = `SELECT ${EVENT_COLUMNS} FROM tessera_events
  WHERE stream_name = ANY($1::text[])
  ORDER BY tessera_events.stream_name, tessera_events.stream_revision`;

/** Streams' events by name, $1, each after its revision in $2 (-1: all of them). */
const READ_STREAMS_AFTER = `SELECT ${EVENT_COLUMNS} FROM unnest($1::text[], $2::bigint[]) AS wanted(name, after)
  JOIN tessera_events ON tessera_events.stream_name = wanted.name AND tessera_events.stream_revision > wanted.after
  ORDER BY tessera_events.stream_name, tessera_events.stream_revision`;

/**
 * A read of streams and, in the same statement, the fingerprint holding a key (subject and key the parameters from
 * `$n`): one row at least, the key's holder on every row, no event columns when the streams have no events. (The
 * revisions come out as text: ordered as numbers, else revision 10 sorts before 9.)
 */
const keyedRead = (read: string, n: number) => `WITH found AS (${read})
SELECT k.request_hash AS key_holder, found.* FROM (VALUES (1)) AS one(n)
LEFT JOIN tessera_idempotency k ON k.subject = $${n} AND k.key = $${n + 1}
LEFT JOIN found ON true
ORDER BY found.stream_name, found.stream_revision::bigint`;

/** The append and the hot reads: parsed and planned once per connection (see QueryOptions). */
const PREPARED = { prepare: true } as const;

/**
 * A batch append in one statement: claims the next revisions of every stream whose expected revision holds (-1 stands
 * for 'no_stream'), then writes the events of the claimed streams only, and their claims (one held by another stream,
 * or by two parts, fails the statement: the batch is then settled part by part). $1: [{stream, expected, n}], $2: the events,
 * each with its stream and its index within that stream's part.
 */
const BATCH_APPEND = `
WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(stream text, expected bigint, n bigint)
),
updated AS (
  UPDATE tessera_streams s SET revision = s.revision + i.n FROM input i
  WHERE i.expected >= 0 AND s.stream_name = i.stream AND s.revision = i.expected
  RETURNING s.stream_name, i.expected + 1 AS first_revision
),
inserted AS (
  INSERT INTO tessera_streams (stream_name, revision)
  SELECT stream, n - 1 FROM input WHERE expected < 0
  ON CONFLICT DO NOTHING RETURNING stream_name, 0::bigint AS first_revision
),
claimed AS (SELECT * FROM updated UNION ALL SELECT * FROM inserted),
taken AS (
  INSERT INTO tessera_claims (id, stream_name)
  SELECT DISTINCT c.id, cl.stream_name
  FROM jsonb_array_elements($2::jsonb) AS e(value) JOIN claimed cl ON cl.stream_name = e.value->>'stream',
       jsonb_array_elements_text(e.value->'claims') AS c(id)
  WHERE NOT EXISTS (SELECT 1 FROM tessera_claims h WHERE h.id = c.id AND h.stream_name = cl.stream_name)
),
appended AS (
  INSERT INTO tessera_events (position, event_id, stream_name, stream_revision, type, data, metadata)
  SELECT pg_current_xact_id()::text::bigint * ${POSITIONS_PER_TRANSACTION} + e.ordinality,
         (e.value->>'id')::uuid, c.stream_name, c.first_revision + (e.value->>'i')::bigint,
         e.value->>'type', e.value->'data', e.value->'metadata'
  FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(value, ordinality)
  JOIN claimed c ON c.stream_name = e.value->>'stream'
  RETURNING stream_name, position, stream_revision
)
SELECT stream_name, max(position)::text AS position, max(stream_revision)::text AS revision
FROM appended GROUP BY stream_name`;

export interface PostgresEventStoreOptions {
  /** How often a caught-up subscriber asks for events appended by other processes. */
  readonly pollIntervalMs?: number;
}

/** The event store on PostgreSQL, over `pg` or PGlite. */
export class PostgresEventStore implements EventStore {
  private readonly appended = new AppendSignal();

  private constructor(
    readonly sql: SqlClient,
    private readonly options: PostgresEventStoreOptions,
  ) {}

  /** Creates the schema if needed (idempotent, safe when several processes start at once). */
  static async open(sql: SqlClient, options: PostgresEventStoreOptions = {}): Promise<PostgresEventStore> {
    await migrate(sql, MIGRATION_LOCK, MIGRATION);
    return new PostgresEventStore(sql, options);
  }

  async appendToStream(
    stream: string,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    const checked = checkAppend(stream, events);
    const expected = options.expectedRevision ?? 'any';
    const { key } = options;
    const params = [stream, String(checked.length), eventsJson(checked)];
    if (key) params.push(key.subject, key.key, key.fingerprint);
    if (typeof expected === 'bigint') params.push(String(expected));
    const statement = (key ? KEYED_APPEND_STATEMENTS : APPEND_STATEMENTS)[
      typeof expected === 'bigint' ? 'exact' : expected
    ];
    for (let attempt = 1; ; attempt++)
      try {
        const [row] = await this.sql.query<{ position: string | null; revision: string | null; key_taken?: boolean }>(
          statement,
          params,
          PREPARED,
        );
        if (key && row?.key_taken) throw new CommandKeyTaken(key.subject, key.key);
        if (row?.position == null || row.revision == null) return await this.appendRefused(stream, checked, expected);
        this.appended.notify();
        return { position: BigInt(row.position), nextRevision: BigInt(row.revision), appended: true };
      } catch (error) {
        if (key && isUniqueViolation(error, 'tessera_idempotency_pkey'))
          throw new CommandKeyTaken(key.subject, key.key);
        if (isUniqueViolation(error, 'tessera_events_event_id_key'))
          return await this.appendRefused(stream, checked, expected);
        if (!isUniqueViolation(error, 'tessera_claims_pkey') || attempt === 3) throw translate(error);
        // Lost a race for a claim: to another stream (refused), or to this very stream (the claim is now held: again).
        await this.assertClaimsFree(stream, checked);
      }
  }

  private async assertClaimsFree(stream: string, events: CheckedEvent[]): Promise<void> {
    const held = await this.run(() =>
      this.sql.query<{ id: string }>(
        'SELECT id FROM tessera_claims WHERE id = ANY($1::text[]) AND stream_name <> $2 ORDER BY id LIMIT 1',
        [arrayLiteral(events.flatMap((event) => event.claims ?? [])), stream],
      ),
    );
    if (held.length > 0) throw new IdClaimedByAnotherStream(held[0].id, stream);
  }

  async appendToStreams(appends: readonly StreamAppend[]): Promise<StreamAppendResult[]> {
    // Sorted by stream, so that two batch writers claim shared streams in the same order and cannot deadlock.
    const parts = checkBatch(appends).sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0));
    if (parts.length === 0) return [];
    let rows: Array<{ stream_name: string; position: string; revision: string }>;
    try {
      rows = await this.sql.query(BATCH_APPEND, batchJson(parts), PREPARED);
    } catch (error) {
      // Some events were appended before under other expectations (a racing writer): settle each part on its own.
      // …or a claim is held by another stream, or two parts claim one id: settle each part on its own too.
      if (isUniqueViolation(error, 'tessera_events_event_id_key') || isUniqueViolation(error, 'tessera_claims_pkey'))
        return appendEachInTurn(
          this,
          appends.map((append) => parts.find((part) => part.stream === append.stream)!),
        );
      throw translate(error);
    }
    if (rows.length > 0) this.appended.notify();
    const written = new Map(rows.map((row) => [row.stream_name, row]));
    const refused = parts.filter((part) => !written.has(part.stream));
    const settled = new Map<string, StreamAppendResult>(
      rows.map((row) => [
        row.stream_name,
        {
          stream: row.stream_name,
          outcome: 'appended',
          position: BigInt(row.position),
          nextRevision: BigInt(row.revision),
        },
      ]),
    );
    for (const result of await this.settleRefused(refused)) settled.set(result.stream, result);
    return appends.map((append) => settled.get(append.stream)!);
  }

  /** Parts whose claim failed: appended before (all their ids are there) or a genuine conflict. */
  private async settleRefused(parts: CheckedStreamAppend[]): Promise<StreamAppendResult[]> {
    if (parts.length === 0) return [];
    const [existing, revisions] = await Promise.all([
      this.sql.query<{ event_id: string; stream_name: string; position: string; stream_revision: string }>(
        `SELECT event_id::text AS event_id, stream_name, position::text AS position, stream_revision::text AS stream_revision
         FROM tessera_events WHERE event_id = ANY($1::uuid[])`,
        [arrayLiteral(parts.flatMap((part) => part.events.map((event) => event.id)))],
      ),
      this.sql.query<{ stream_name: string; revision: string }>(
        'SELECT stream_name, revision::text AS revision FROM tessera_streams WHERE stream_name = ANY($1::text[])',
        [arrayLiteral(parts.map((part) => part.stream))],
      ),
    ]);
    const found = new Map(existing.map((row) => [row.event_id, row]));
    const current = new Map(revisions.map((row) => [row.stream_name, BigInt(row.revision)]));
    return parts.map((part): StreamAppendResult => {
      const stored = part.events.map((event) => found.get(event.id));
      if (stored.every((row) => row !== undefined && row.stream_name === part.stream)) {
        const last = stored.reduce((a, b) => (BigInt(a!.position) > BigInt(b!.position) ? a : b))!;
        return {
          stream: part.stream,
          outcome: 'appended',
          position: BigInt(last.position),
          nextRevision: BigInt(last.stream_revision),
        };
      }
      return { stream: part.stream, outcome: 'conflict', actual: current.get(part.stream) ?? 'no_stream' };
    });
  }

  readonly keepsCommandKeys = true;

  async readStreams(streams: readonly string[], options: ReadStreamsOptions = {}): Promise<StreamsRead> {
    streams.forEach(assertValidStreamName);
    const found = new Map<string, RecordedEvent[]>();
    const { after, key } = options;
    if (streams.length === 0 && key === undefined) return found;
    const partly = after !== undefined && streams.some((stream) => after.has(stream));
    const params = [arrayLiteral(streams)];
    if (partly) params.push(`{${streams.map((stream) => String(after.get(stream) ?? -1n)).join(',')}}`);
    const read = partly ? READ_STREAMS_AFTER : READ_STREAMS;
    if (key) params.push(key.subject, key.key);
    const rows = await this.run(() =>
      this.sql.query<Partial<EventRow> & { key_holder?: string | null }>(
        key ? keyedRead(read, params.length - 1) : read,
        params,
        PREPARED,
      ),
    );
    for (const row of rows) {
      if (row.position == null) continue;
      const event = toRecordedEvent(row as EventRow);
      const events = found.get(event.stream);
      if (events) events.push(event);
      else found.set(event.stream, [event]);
    }
    return key ? Object.assign(found, { keyHolder: rows[0]?.key_holder ?? undefined }) : found;
  }

  /** Nothing was appended: either this is a retry of an append that already happened, or a conflict. */
  private async appendRefused(
    stream: string,
    events: CheckedEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    const ids = events.map((event) => event.id);
    const existing = await this.sql.query<{ position: string; stream_revision: string; stream_name: string }>(
      `SELECT position::text AS position, stream_revision::text AS stream_revision, stream_name
       FROM tessera_events WHERE event_id IN (SELECT jsonb_array_elements_text($1::jsonb)::uuid) ORDER BY tessera_events.position`,
      [JSON.stringify(ids)],
    );
    if (existing.length === ids.length && existing.every((row) => row.stream_name === stream)) {
      const last = existing[existing.length - 1];
      return { position: BigInt(last.position), nextRevision: BigInt(last.stream_revision), appended: false };
    }
    if (existing.length > 0)
      throw new InvalidEvent(
        `Some of these event ids were already appended (to ${existing[0].stream_name}), others not`,
      );
    const [current] = await this.sql.query<{ revision: string }>(
      'SELECT revision::text AS revision FROM tessera_streams WHERE stream_name = $1',
      [stream],
    );
    throw new WrongExpectedVersion(stream, expected, current ? BigInt(current.revision) : 'no_stream');
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    assertValidStreamName(stream);
    const backwards = options.direction === 'backwards';
    const rows = await this.run(() =>
      this.sql.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM tessera_events
         WHERE stream_name = $1 AND ($2::bigint IS NULL OR stream_revision ${backwards ? '<=' : '>='} $2::bigint)
         ORDER BY tessera_events.stream_revision ${backwards ? 'DESC' : 'ASC'} LIMIT $3`,
        [stream, options.fromRevision === undefined ? null : String(options.fromRevision), options.maxCount ?? null],
        PREPARED,
      ),
    );
    if (rows.length === 0) {
      const exists = await this.sql.query('SELECT 1 FROM tessera_streams WHERE stream_name = $1', [stream]);
      if (exists.length === 0) throw new StreamNotFound(stream);
    }
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    assertValidFilter(options.filter);
    const filter = filterSql(options.filter);
    const rows = await this.run(() =>
      this.sql.query<EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM tessera_events
         WHERE position > $1::bigint ${options.visibility === 'committed' ? '' : `AND position < ${VISIBLE_BELOW}`} ${filter.clause}
         ORDER BY tessera_events.position LIMIT $2`,
        [String(options.from ?? 0n), options.maxCount ?? null, ...filter.params],
        PREPARED,
      ),
    );
    return rows.map(toRecordedEvent);
  }

  /**
   * A subscriber's read: settled events, as readAll, and in the same statement the horizon it looked below (FeedBatch):
   * below it no transaction is in flight, so nothing can be appended there any more.
   */
  private async readFeed(options: ReadAllOptions): Promise<FeedBatch> {
    const filter = filterSql(options.filter);
    const rows = await this.run(() =>
      this.sql.query<Partial<EventRow> & { below: string }>(
        `WITH horizon AS (SELECT ${VISIBLE_BELOW} AS below),
         found AS (
           SELECT ${EVENT_COLUMNS} FROM tessera_events, horizon
           WHERE position > $1::bigint AND position < horizon.below ${filter.clause}
           ORDER BY tessera_events.position LIMIT $2
         )
         SELECT horizon.below::text AS below, found.* FROM horizon LEFT JOIN found ON true ORDER BY found.position::bigint`,
        [String(options.from ?? 0n), options.maxCount ?? null, ...filter.params],
        PREPARED,
      ),
    );
    const events = rows.filter((row) => row.position != null).map((row) => toRecordedEvent(row as EventRow));
    const below = rows[0]?.below;
    return { events, ...(below == null ? {} : { scannedTo: BigInt(below) - 1n }) };
  }

  subscribe(options: SubscribeOptions = {}): AsyncIterable<RecordedEvent> {
    assertValidFilter(options.filter);
    return catchUp((read) => this.readFeed(read), this.appended, {
      ...options,
      pollIntervalMs: this.options.pollIntervalMs,
    });
  }

  async ping(): Promise<boolean> {
    try {
      await this.sql.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.appended.notify();
    await this.sql.close();
  }

  private async run<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      throw translate(error);
    }
  }
}

/** The events as one JSON array, reusing the JSON already serialised by validation. */
function eventsJson(events: CheckedEvent[]): string {
  const items = events.map(
    (event) =>
      `{"id":"${event.id}","type":${JSON.stringify(event.type)},"data":${event.dataJson},"metadata":${event.metadataJson}${claimsJson(event)}}`,
  );
  return `[${items.join(',')}]`;
}

/** The event's claims as a member of its JSON object, or nothing when it claims nothing. */
function claimsJson(event: CheckedEvent): string {
  return !event.claims?.length ? '' : `,"claims":${JSON.stringify(event.claims)}`;
}

/**
 * A PostgreSQL array literal of strings, for `= ANY($1::text[])`: unlike a set from JSON, the planner turns it into
 * an index scan whatever the table's size.
 */
function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
}

/** The parameters of BATCH_APPEND. */
function batchJson(parts: CheckedStreamAppend[]): [string, string] {
  const streams = parts.map((part) => ({
    stream: part.stream,
    expected: part.expectedRevision === 'no_stream' ? -1 : Number(part.expectedRevision),
    n: part.events.length,
  }));
  const events = parts.flatMap((part) =>
    part.events.map(
      (event, index) =>
        `{"stream":${JSON.stringify(part.stream)},"i":${index},"id":"${event.id}","type":${JSON.stringify(event.type)},"data":${event.dataJson},"metadata":${event.metadataJson}${claimsJson(event)}}`,
    ),
  );
  return [JSON.stringify(streams), `[${events.join(',')}]`];
}

/** The filter as SQL over parameters $3…; prefixes use LIKE so the stream-name pattern index serves them. */
function filterSql(filter: EventFilter | undefined): { clause: string; params: string[] } {
  if (!filter) return { clause: '', params: [] };
  if ('streamPrefix' in filter) {
    const prefixes = [filter.streamPrefix].flat();
    const likes = prefixes.map((_prefix, index) => `stream_name LIKE $${index + 3}`);
    return {
      clause: `AND (${likes.join(' OR ')})`,
      params: prefixes.map((prefix) => `${prefix.replace(/[\\%_]/g, '\\$&')}%`),
    };
  }
  return {
    clause: 'AND type IN (SELECT jsonb_array_elements_text($3::jsonb))',
    params: [JSON.stringify(filter.eventTypes)],
  };
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    stream: row.stream_name,
    revision: BigInt(row.stream_revision),
    position: BigInt(row.position),
    recordedAt: row.recorded_at instanceof Date ? row.recorded_at : new Date(row.recorded_at),
  };
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const candidate = error as { code?: string; constraint?: string; message?: string };
  return (
    candidate?.code === '23505' && (candidate.constraint === constraint || !!candidate.message?.includes(constraint))
  );
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
]);

/** Connection failures become StoreUnavailable; everything else passes through unchanged. */
export function translate(error: unknown): unknown {
  if (error instanceof EventStoreError) return error;
  const candidate = error as { code?: string; message?: string };
  const lost =
    UNAVAILABLE_CODES.has(candidate?.code ?? '') ||
    candidate?.code?.startsWith('08') ||
    /Connection terminated|connection (is )?closed|Client has encountered a connection error/i.test(
      candidate?.message ?? '',
    );
  return lost
    ? new StoreUnavailable(`The event store is unavailable: ${candidate.message ?? candidate.code}`, { cause: error })
    : error;
}
