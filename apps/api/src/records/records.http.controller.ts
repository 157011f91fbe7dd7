import type { RecordCommand, RecordEvent } from '@app/domain';
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { KeptByTheLedger } from '../idempotency/personal-data.decorator';
import { Command, type CommandMetadata, deriveId, domainMetadata } from '../commands/command-metadata';
import type { CommandOutcome } from '@app/application';
import { plain } from '../commands/plain';
import { ExecuteRecordCommand } from './record.handler';
import { AwardAchievementDto, RecognisePriorLearningDto, RecordAssessmentDto, SubmitEvidenceDto } from './record.dto';

type DataOf<Type extends RecordCommand['type']> = Extract<RecordCommand, { type: Type }>['data'];

/** A learner's record of one achievement: what assessors and registrars add to it. */
@ApiTags('learner records')
@ApiBearerAuth()
// One record command per request, answered from its outcome alone.
@KeptByTheLedger()
@Controller('learners/:learnerId')
export class RecordsController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('achievements/:achievementId/evidence')
  @Roles('assessor')
  @ApiCreatedResponse({ description: '{ evidenceId, position }' })
  async submitEvidence(
    @Param('learnerId') learnerId: string,
    @Param('achievementId') achievementId: string,
    @Body() body: SubmitEvidenceDto,
    @Command() metadata: CommandMetadata,
  ) {
    const data: DataOf<'SubmitEvidence'> = {
      learnerId,
      achievementId,
      evidenceId: deriveId(metadata.commandId, 'evidence'),
      ...plain<SubmitEvidenceDto>(body),
    };
    const [event, position] = await this.run(
      { type: 'SubmitEvidence', data, metadata: domainMetadata(metadata) },
      metadata,
    );
    return { evidenceId: event.type === 'EvidenceSubmitted' ? event.data.evidenceId : data.evidenceId, position };
  }

  @Post('achievements/:achievementId/assessments')
  @Roles('assessor')
  @ApiCreatedResponse({ description: '{ assessmentId, outcome: "passed" | "not-yet", position }' })
  async recordAssessment(
    @Param('learnerId') learnerId: string,
    @Param('achievementId') achievementId: string,
    @Body() body: RecordAssessmentDto,
    @Command() metadata: CommandMetadata,
  ) {
    const data: DataOf<'RecordAssessment'> = {
      learnerId,
      achievementId,
      assessmentId: deriveId(metadata.commandId, 'assessment'),
      ...plain<RecordAssessmentDto>(body),
    };
    const [event, position] = await this.run(
      { type: 'RecordAssessment', data, metadata: domainMetadata(metadata) },
      metadata,
    );
    if (event.type !== 'AssessmentRecorded') throw new Error(`RecordAssessment answered ${event.type}`);
    return { assessmentId: event.data.assessmentId, outcome: event.data.outcome, position };
  }

  @Post('achievements/:achievementId/award')
  @Roles('issuer-admin', 'assessor')
  @ApiCreatedResponse({
    description: '{ awardId, issuedAt, validUntil?, position } — 422 without a passing assessment',
  })
  async award(
    @Param('learnerId') learnerId: string,
    @Param('achievementId') achievementId: string,
    @Body() body: AwardAchievementDto,
    @Command() metadata: CommandMetadata,
  ) {
    const data: DataOf<'AwardAchievement'> = {
      learnerId,
      achievementId,
      awardId: deriveId(metadata.commandId, 'award'),
      ...plain<AwardAchievementDto>(body),
    };
    const [event, position] = await this.run(
      { type: 'AwardAchievement', data, metadata: domainMetadata(metadata) },
      metadata,
    );
    if (event.type !== 'AchievementAwarded') throw new Error(`AwardAchievement answered ${event.type}`);
    const { awardId, issuedAt, validUntil } = event.data;
    return { awardId, issuedAt, ...(validUntil ? { validUntil } : {}), position };
  }

  @Post('prior-learning')
  @Roles('registrar')
  @HttpCode(201)
  @ApiCreatedResponse({ description: '{ recognitionId, position }' })
  async recognisePriorLearning(
    @Param('learnerId') learnerId: string,
    @Body() body: RecognisePriorLearningDto,
    @Command() metadata: CommandMetadata,
  ) {
    const { achievementId, ...recognition } = plain<RecognisePriorLearningDto>(body);
    const data: DataOf<'RecognisePriorLearning'> = {
      learnerId,
      achievementId,
      recognitionId: deriveId(metadata.commandId, 'recognition'),
      ...recognition,
    };
    const [event, position] = await this.run(
      { type: 'RecognisePriorLearning', data, metadata: domainMetadata(metadata) },
      metadata,
    );
    return {
      recognitionId: event.type === 'PriorLearningRecognised' ? event.data.recognitionId : data.recognitionId,
      position,
    };
  }

  private async run(command: RecordCommand, metadata: CommandMetadata): Promise<[RecordEvent, string]> {
    const outcome: CommandOutcome<RecordEvent> = await this.commandBus.execute(
      new ExecuteRecordCommand(command, metadata),
    );
    return [outcome.events[0], outcome.position.toString()];
  }
}
