import { historyEntry } from '@app/application';
import { learnerStream, requireIssuer, type Transcript } from '@app/domain';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { LearnerAccess } from '../auth/learner-access';
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
import { LearnerHistoryQuery, TranscriptQuery, TranscriptSearchQuery } from './transcript.queries';

const POSITION = /^\d{1,19}$/;

/** A learner's transcript (now from the read model, or as of an instant by replay) and their full history. */
@ApiTags('transcripts')
@ApiBearerAuth()
@Controller('learners/:learnerId')
export class LearnerTranscriptController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly access: LearnerAccess,
  ) {}

  @Get('transcript')
  @Roles('registrar', 'auditor', 'learner')
  @ApiOkResponse({
    type: TranscriptDto,
    description:
      'Awards with their status, qualifications and credit totals over valid awards — now (from the read model; ' +
      '?minPosition= waits for a write), or as of ?asOf= (the learner’s streams replayed up to then, same fold) or ' +
      '?asOfPosition= (replayed up to that global position: several events can share an instant; not with ?asOf=), ' +
      'or at ?effectiveAt= (what had happened by then, by the dates things happened). ' +
      'Staff see the part their issuers hold; 404 unknown-learner when they hold nothing of the learner',
  })
  async transcript(
    @Param('learnerId') learnerId: string,
    @Query() query: TranscriptQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<Transcript> {
    return this.queryBus.execute(
      new TranscriptQuery(learnerId, {
        ...(query.asOf === undefined ? {} : { asOf: new Date(query.asOf) }),
        ...(query.asOfPosition === undefined ? {} : { asOfPosition: BigInt(query.asOfPosition) }),
        ...(query.effectiveAt === undefined ? {} : { effectiveAt: new Date(query.effectiveAt) }),
        minPosition: query.minPosition,
        view: this.access.viewFor(actor, learnerId, ['registrar', 'auditor']),
      }),
    );
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
    const { events, more } = await this.queryBus.execute(
      new LearnerHistoryQuery(learnerId, {
        ...(after === undefined ? {} : { after }),
        limit,
        view: this.access.viewFor(actor, learnerId, ['auditor']),
      }),
    );
    return {
      events: events.map(historyEntry),
      ...(more ? { next: encodeCursor({ p: events[events.length - 1].position.toString() }) } : {}),
    };
  }
}
/** The registrar's search over the awards their issuers made, every learner's. */
@ApiTags('transcripts')
@ApiBearerAuth()
@Controller('transcripts')
export class TranscriptsController {
  constructor(private readonly queryBus: QueryBus) {}

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
    const after =
      query.cursor === undefined ? undefined : decodeCursor(query.cursor, ['learnerId', 'awardId'] as const);
    const { items, more } = await this.queryBus.execute(
      new TranscriptSearchQuery({
        issuerIds: query.issuerId === undefined ? actor.issuers : [query.issuerId],
        achievementId: query.achievementId,
        learnerIdPrefix: query.learnerIdPrefix,
        status: query.status,
        limit,
        after,
        minPosition: query.minPosition,
      }),
    );
    const last = items[items.length - 1];
    return {
      items,
      ...(more ? { next: encodeCursor({ learnerId: last.learnerId, awardId: last.awardId }) } : {}),
    };
  }
}
