import { historyEntry, verifyAudit } from '@app/application';
import type { EventStore, RecordedEvent, SqlClient } from '@app/event-store';
import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { EVENT_STORE, SQL_CLIENT } from '../storage.tokens';
import { decodeCursor, encodeCursor } from '../transcripts/cursor';
import { DEFAULT_LIMIT, HistoryPageDto, HistoryQueryDto } from '../transcripts/transcript.dto';

const POSITION = /^\d{1,19}$/;
/** Streams read from the store at a time while a page of recent events is gathered. */
const STREAM_BATCH = 20;

/** A learner stream one of the issuers holds, with the position of its last event (from the stream summary). */
interface HeldStream {
  stream: string;
  learnerId: string;
  lastPosition: bigint;
}

/**
 * The ledger's recent activity as an auditor sees it, and the audit with its progress. Recent activity is scoped as
 * the learner history is: the streams about learners that the token's issuers hold (learner-issuers read model), found
 * newest first through the stream summary, so a page reads the streams that last changed, not the whole log.
 */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditActivityController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
  ) {}

  @Get('events')
  @Roles('auditor')
  @ApiOkResponse({
    type: HistoryPageDto,
    description:
      'The latest events of the learner streams the auditor’s issuers hold (records, qualifications, profiles they ' +
      'recorded), newest first, each with its learnerId, as far as the read models have got; cursor pagination',
  })
  async recent(@Query() query: HistoryQueryDto, @CurrentActor() actor: Actor) {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const before =
      query.cursor === undefined
        ? undefined
        : BigInt(decodeCursor(query.cursor, ['p'] as const, ({ p }) => POSITION.test(p)).p);
    const held = await this.heldStreams(actor.issuers);
    const learnerOf = new Map(held.map((entry) => [entry.stream, entry.learnerId]));
    const found: RecordedEvent[] = [];
    for (let index = 0; index < held.length; index += STREAM_BATCH) {
      // Streams come by their last position, newest first: once `limit + 1` events are newer than every event the
      // remaining streams hold, those cannot reach the page.
      if (found.length > limit && found[limit].position > held[index].lastPosition) break;
      const batch = held.slice(index, index + STREAM_BATCH).map((entry) => entry.stream);
      for (const events of (await this.store.readStreams(batch)).values())
        found.push(...events.filter((event) => before === undefined || event.position < before));
      found.sort((a, b) => (a.position < b.position ? 1 : a.position > b.position ? -1 : 0));
    }
    const events = found.slice(0, limit);
    return {
      events: events.map((event) => ({ ...historyEntry(event), learnerId: learnerOf.get(event.stream) })),
      ...(found.length > limit ? { next: encodeCursor({ p: events[events.length - 1].position.toString() }) } : {}),
    };
  }

  @Get('verify/progress')
  @Roles('auditor')
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({
    description:
      'GET /audit/verify as it runs, one JSON object a line: `{ progress: { events, streams, broken, total } }` ' +
      'after each page of the log read (`total`: the events the stream summary counts, an estimate of the whole), ' +
      'then `{ report: { ok, streams, events, broken: [{ stream, revision, reason }] } }`, or `{ error: { title } }`',
  })
  async verifyWithProgress(@Res() response: Response): Promise<void> {
    const [{ total }] = await this.sql.query<{ total: string }>(
      'SELECT COALESCE(SUM(event_count), 0)::text AS total FROM tessera_stream_summary',
    );
    response.status(200).type('application/x-ndjson').setHeader('Cache-Control', 'no-store');
    const line = (value: object) => response.write(`${JSON.stringify(value)}\n`);
    try {
      const report = await verifyAudit(this.store, {
        onProgress: (progress) => line({ progress: { ...progress, total: Number(total) } }),
      });
      line({ report });
    } catch {
      // The status line is sent: a failure can only be told in the body.
      line({ error: { title: 'The audit stopped: the store could not be read' } });
    }
    response.end();
  }

  /** The learner streams the issuers hold, the one whose last event is newest first. */
  private async heldStreams(issuerIds: readonly string[]): Promise<HeldStream[]> {
    if (issuerIds.length === 0) return [];
    // The learner-issuers and stream-summary read models (libs/read-models), joined on the stream name.
    const rows = await this.sql.query<{ stream_name: string; learner_id: string; last_position: string }>(
      `SELECT DISTINCT held.stream_name, held.learner_id, summary.last_position::text AS last_position
       FROM tessera_learner_streams held
       JOIN tessera_stream_summary summary ON summary.stream_name = held.stream_name
       WHERE held.issuer_id IN (SELECT jsonb_array_elements_text($1::jsonb))`,
      [JSON.stringify(issuerIds)],
    );
    return rows
      .map((row) => ({ stream: row.stream_name, learnerId: row.learner_id, lastPosition: BigInt(row.last_position) }))
      .sort((a, b) => (a.lastPosition < b.lastPosition ? 1 : a.lastPosition > b.lastPosition ? -1 : 0));
  }
}
