import { historyEntry } from '@app/application';
import { Controller, Get, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { decodeCursor, encodeCursor } from '../transcripts/cursor';
import { DEFAULT_LIMIT, HistoryPageDto, HistoryQueryDto } from '../transcripts/transcript.dto';
import { AuditProgressQuery, LedgerEventTotalQuery, RecentActivityQuery } from './audit-activity.queries';

const POSITION = /^\d{1,19}$/;

/**
 * The ledger's recent activity as an auditor sees it, and the audit with its progress. Recent activity is scoped as
 * the learner history is: the streams about learners that the token's issuers hold (learner-issuers read model), found
 * newest first through the stream summary, so a page reads the streams that last changed, not the whole log.
 */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditActivityController {
  constructor(private readonly queryBus: QueryBus) {}

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
    const { events, more } = await this.queryBus.execute(
      new RecentActivityQuery(actor.issuers, { ...(before === undefined ? {} : { before }), limit }),
    );
    return {
      events: events.map(({ event, learnerId }) => ({ ...historyEntry(event), learnerId })),
      ...(more ? { next: encodeCursor({ p: events[events.length - 1].event.position.toString() }) } : {}),
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
    const total = await this.queryBus.execute(new LedgerEventTotalQuery());
    response.status(200).type('application/x-ndjson').setHeader('Cache-Control', 'no-store');
    const line = (value: object) => response.write(`${JSON.stringify(value)}\n`);
    try {
      const report = await this.queryBus.execute(
        new AuditProgressQuery((progress) => line({ progress: { ...progress, total } })),
      );
      line({ report });
    } catch {
      // The status line is sent: a failure can only be told in the body.
      line({ error: { title: 'The audit stopped: the store could not be read' } });
    }
    response.end();
  }
}
