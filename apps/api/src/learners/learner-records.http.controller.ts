import { readLearnerLedger, showsStream } from '@app/application';
import { learnerStream, parseRecordStream, type RecordEvent, type RecordProgress, recordProgress } from '@app/domain';
import type { EventStore, RecordedEvent, SqlClient } from '@app/event-store';
import { achievementSummaries } from '@app/read-models';
import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { LearnerAccess } from '../auth/learner-access';
import { EVENT_STORE, SQL_CLIENT } from '../storage.tokens';
import { LearnerProfileStore } from './learner-profile.store';

type LearnerRecordEntry = RecordProgress & { title: string | null; issuerId: string | null };

class LearnerRecordsDto {
  @ApiProperty() learnerId!: string;
  @ApiProperty({
    description:
      'One per micro-credential the learner has a record of: { achievementId, title, issuerId, version, stage ' +
      '(awaiting-assessment | not-yet | passed | awarded | revoked), criteria [{ criterionId, description, required, ' +
      'evidenceIds, met }], evidence [{ evidenceId, kind, criterionIds, description, observedBy, observedAt, ' +
      'assessed }], assessments [{ assessmentId, assessor, outcome, assessedAt, evidenceIds, results }], awards ' +
      '[{ awardId, issuedAt, standing }], pending (evidence ids not assessed), missing (required criteria not met) }',
  })
  records!: LearnerRecordEntry[];
  @ApiProperty({
    description:
      'Names of the people named (the learner, observers, assessors) who have a learner profile, by id; the others ' +
      '(and everyone after erasure) by id only',
    example: { 'ada-lovelace': 'Ada Lovelace' },
  })
  names!: Record<string, string>;
}

/** A learner's records still in progress (and done): evidence, assessments, criteria, outcomes. */
@ApiTags('transcripts')
@ApiBearerAuth()
@Controller('learners/:learnerId')
export class LearnerRecordsController {
  constructor(
    private readonly access: LearnerAccess,
    private readonly profiles: LearnerProfileStore,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
  ) {}

  @Get('records')
  @Roles('registrar', 'auditor', 'learner')
  @ApiOkResponse({
    type: LearnerRecordsDto,
    description:
      'Every record of the learner, replayed from the ledger: what is pending, what is missing, each assessment. ' +
      'The learner sees all of theirs; staff the records of their issuers’ achievements (404 unknown-learner when ' +
      'they hold none; a learner token for a learner no issuer holds anything of too)',
  })
  async records(@Param('learnerId') learnerId: string, @CurrentActor() actor: Actor): Promise<LearnerRecordsDto> {
    learnerStream(learnerId); // a malformed learner id is a 400
    const { events } = await readLearnerLedger({ store: this.store, query: this.sql.query }, learnerId);
    const view = await this.access.view(actor, learnerId, ['registrar', 'auditor'], events.at(-1)?.position);
    const byAchievement = new Map<string, RecordedEvent[]>();
    for (const event of events) {
      const achievementId = parseRecordStream(event.stream)?.achievementId;
      if (achievementId === undefined || !showsStream(view, event.stream)) continue;
      byAchievement.set(achievementId, [...(byAchievement.get(achievementId) ?? []), event]);
    }
    const achievements = await achievementSummaries(this.sql.query, [...byAchievement.keys()]);
    const records = [...byAchievement].map(([achievementId, recorded]): LearnerRecordEntry => {
      const achievement = achievements.get(achievementId);
      const versions = achievement?.status === 'none' ? [] : (achievement?.versions ?? []);
      const progress = recordProgress(
        achievementId,
        recorded.map(({ type, data }) => ({ type, data }) as RecordEvent),
        (version) => versions.find((entry) => entry.version === version)?.definition.criteria,
      );
      const title = versions.find((entry) => entry.version === progress.version)?.definition.title;
      return {
        ...progress,
        title: title ?? versions.at(-1)?.definition.title ?? null,
        issuerId: achievement && achievement.status !== 'none' ? achievement.issuerId : null,
      };
    });
    return { learnerId, records, names: await this.namesOf(learnerId, records) };
  }

  /** The people the records name who have a profile (none is left after erasure). */
  private async namesOf(learnerId: string, records: readonly RecordProgress[]): Promise<Record<string, string>> {
    const people = new Set([
      learnerId,
      ...records.flatMap((record) => [
        ...record.evidence.map((item) => item.observedBy),
        ...record.assessments.map((item) => item.assessor),
      ]),
    ]);
    const found = await Promise.all([...people].map((id) => this.profiles.find(id)));
    return Object.fromEntries(found.flatMap((profile) => (profile ? [[profile.learnerId, profile.name]] : [])));
  }
}
