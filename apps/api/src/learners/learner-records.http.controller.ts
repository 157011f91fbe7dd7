import type { LearnerRecordProgress } from '@app/application';
import type { RecordProgress } from '@app/domain';
import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { LearnerAccess } from '../auth/learner-access';
import { LearnerProfileStore } from './learner-profile.store';
import { LearnerRecordsQuery } from './learner-records.queries';

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
  records!: LearnerRecordProgress[];
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
    private readonly queryBus: QueryBus,
    private readonly access: LearnerAccess,
    private readonly profiles: LearnerProfileStore,
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
    const records = await this.queryBus.execute(
      new LearnerRecordsQuery(learnerId, this.access.viewFor(actor, learnerId, ['registrar', 'auditor'])),
    );
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
