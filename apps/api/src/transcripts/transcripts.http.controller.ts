import {
  historyEntry,
  type LedgerSource,
  readLearnerHistory,
  readLearnerLedger,
  StreamCommands,
} from '@app/application';
import {
  type Achievement,
  achievementDecider,
  type AchievementEvent,
  achievementStream,
  foldTranscript,
  initialTranscript,
  learnerStream,
  requireIssuer,
  type Transcript,
  transcriptAt,
  type TranscriptState,
} from '@app/domain';
import type { EventStore, SqlClient } from '@app/event-store';
import {
  achievementLookup,
  achievementSummaries,
  loadCheckpoint,
  loadTranscriptState,
  searchTranscriptAwards,
  transcriptProjection,
} from '@app/read-models';
import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor, Role } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { LearnerAccess, type LearnerView, scopedTranscript, showsStream } from '../auth/learner-access';
import { ReadYourWrites } from '../queries/read-your-writes';
import { EVENT_STORE, SQL_CLIENT } from '../storage.tokens';
import { decodeCursor, encodeCursor } from './cursor';
import {
  DEFAULT_LIMIT,
  HistoryPageDto,
  HistoryQueryDto,
  TranscriptDto,
  TranscriptQueryDto,
  TranscriptSearchPageDto,
  TranscriptSearchQueryDto,
} from './transcript.dto';

const POSITION = /^\d{1,19}$/;

/** A learner's transcript (now from the read model, or as of an instant by replay) and their full history. */
@ApiTags('transcripts')
@ApiBearerAuth()
@Controller('learners/:learnerId')
export class LearnerTranscriptController {
  constructor(
    private readonly streams: StreamCommands,
    private readonly readYourWrites: ReadYourWrites,
    private readonly access: LearnerAccess,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
  ) {}

  /** Where a learner's streams are found: the stream summary, and the log past its checkpoint. */
  private get ledgerSource(): LedgerSource {
    return { store: this.store, query: this.sql.query };
  }

  @Get('transcript')
  @Roles('registrar', 'auditor', 'learner')
  @ApiOkResponse({
    type: TranscriptDto,
    description:
      'Awards with their status, qualifications and credit totals over valid awards — now (from the read model; ' +
      '?minPosition= waits for a write), or as of ?asOf= (the learner’s streams replayed up to then, same fold). ' +
      'Staff see the part their issuers hold; 404 unknown-learner when they hold nothing of the learner',
  })
  async transcript(
    @Param('learnerId') learnerId: string,
    @Query() query: TranscriptQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<Transcript> {
    learnerStream(learnerId); // a malformed learner id is a 400
    const staff: Role[] = ['registrar', 'auditor'];
    let state: TranscriptState;
    let view: LearnerView;
    let at: string;
    if (query.asOf !== undefined) {
      const asOf = new Date(query.asOf);
      at = asOf.toISOString();
      const { events } = await readLearnerLedger(this.ledgerSource, learnerId, asOf);
      view = await this.access.view(actor, learnerId, staff, events.at(-1)?.position);
      state = foldTranscript(learnerId, events);
    } else {
      await this.readYourWrites.waitFor(transcriptProjection.name, query.minPosition);
      state = (await loadTranscriptState(this.sql.query, learnerId)) ?? initialTranscript(learnerId);
      // Whose streams the awards read are, as far as the transcript read model has got
      view = await this.access.view(
        actor,
        learnerId,
        staff,
        await loadCheckpoint(this.sql.query, transcriptProjection.name),
      );
      at = new Date().toISOString();
    }
    state = scopedTranscript(view, state);
    const catalogue = achievementLookup(await this.achievements(state));
    return transcriptAt(state, at, { catalogue, ...(query.asOf !== undefined ? { asOf: at } : {}) });
  }

  @Get('history')
  @Roles('auditor')
  @ApiOkResponse({
    type: HistoryPageDto,
    description:
      'Every event about the learner (record, qualification and learner streams), in global order: of the streams ' +
      'the auditor’s issuers hold; 404 unknown-learner when they hold none',
  })
  async history(
    @Param('learnerId') learnerId: string,
    @Query() query: HistoryQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<HistoryPageDto> {
    learnerStream(learnerId); // a malformed learner id is a 400
    const limit = query.limit ?? DEFAULT_LIMIT;
    const after =
      query.cursor === undefined
        ? undefined
        : BigInt(decodeCursor(query.cursor, ['p'] as const, ({ p }) => POSITION.test(p)).p);
    // The learner's streams are found from the stream summary, never by scanning the log; the page is cut after
    // keeping only the streams the auditor's issuers hold, so a page is full whenever more events follow.
    const { events: all } = await readLearnerHistory(this.ledgerSource, learnerId, {
      ...(after === undefined ? {} : { after }),
      limit: Number.MAX_SAFE_INTEGER,
    });
    const view = await this.access.view(actor, learnerId, ['auditor'], all.at(-1)?.position);
    const found = all.filter((event) => showsStream(view, event.stream));
    const events = found.slice(0, limit);
    return {
      events: events.map(historyEntry),
      ...(found.length > limit ? { next: encodeCursor({ p: events[events.length - 1].position.toString() }) } : {}),
    };
  }

  /** The achievements the awards name, from the catalogue, else (not projected yet) from their streams. */
  private async achievements(state: TranscriptState): Promise<Map<string, Achievement>> {
    const ids = [...new Set(state.awards.map((award) => award.achievementId))];
    const found = await achievementSummaries(this.sql.query, ids);
    for (const id of ids.filter((id) => !found.has(id)))
      found.set(id, await this.streams.load<Achievement, AchievementEvent>(achievementStream(id), achievementDecider));
    return found;
  }
}

/** The registrar's search over the awards their issuers made, every learner's. */
@ApiTags('transcripts')
@ApiBearerAuth()
@Controller('transcripts')
export class TranscriptsController {
  constructor(
    private readonly readYourWrites: ReadYourWrites,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
  ) {}

  @Get()
  @Roles('registrar')
  @ApiOkResponse({
    type: TranscriptSearchPageDto,
    description:
      'Awards of the token’s issuers (or the one of them ?issuerId= names; another is 403 not-your-issuer) by ' +
      'achievement, learner id prefix and status now, ordered by (learnerId, awardId); cursor pagination',
  })
  async search(
    @Query() query: TranscriptSearchQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<TranscriptSearchPageDto> {
    if (query.issuerId !== undefined) requireIssuer(actor, query.issuerId, 'search the awards');
    const limit = query.limit ?? DEFAULT_LIMIT;
    await this.readYourWrites.waitFor(transcriptProjection.name, query.minPosition);
    const after =
      query.cursor === undefined ? undefined : decodeCursor(query.cursor, ['learnerId', 'awardId'] as const);
    const rows = await searchTranscriptAwards(this.sql.query, {
      issuerIds: query.issuerId === undefined ? actor.issuers : [query.issuerId],
      achievementId: query.achievementId,
      learnerIdPrefix: query.learnerIdPrefix,
      status: query.status,
      at: new Date().toISOString(),
      limit: limit + 1,
      after,
    });
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items,
      ...(rows.length > limit ? { next: encodeCursor({ learnerId: last.learnerId, awardId: last.awardId }) } : {}),
    };
  }
}
