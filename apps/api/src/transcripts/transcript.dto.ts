import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { AsOfEffectiveAtQuery } from '../queries/as-of.query';
import { MinPositionQuery } from '../queries/min-position.query';

export const AWARD_STATUSES = ['valid', 'expired', 'suspended', 'revoked'] as const;
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

/**
 * `?asOf=` replays the learner's streams up to an instant (by when events were recorded), `?asOfPosition=` up to a
 * global position; `?effectiveAt=` reads what had happened by an instant (by when it happened); `?minPosition=` waits
 * for the read model (live only).
 */
export class TranscriptQueryDto extends IntersectionType(MinPositionQuery, AsOfEffectiveAtQuery) {
  @ApiPropertyOptional({
    example: '42',
    description:
      'A global position (a decimal string, as GET /learners/:id/history gives each event): the transcript as the ' +
      'ledger stood just after that event, by position, not instant (events sharing its timestamp but recorded ' +
      'after it are left out). Not with ?asOf=',
  })
  @IsOptional()
  @Matches(/^\d{1,19}$/, { message: 'asOfPosition must be a global position (decimal digits)' })
  asOfPosition?: string;
}

/** Cursor pagination: `limit` 1–200 (default 50), `cursor` the opaque `next` of the previous page. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number from 1 to 200' })
  @Min(1, { message: 'limit must be a whole number from 1 to 200' })
  @Max(MAX_LIMIT, { message: 'limit must be a whole number from 1 to 200' })
  limit?: number;

  @ApiPropertyOptional({ description: 'The `next` of the previous page, as given (opaque)' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be the `next` of a previous page' })
  cursor?: string;
}

export class TranscriptSearchQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'A position returned by a command: wait until the read model has it' })
  @IsOptional()
  @Matches(/^\d{1,19}$/, { message: 'minPosition must be a position returned by a command (decimal digits)' })
  minPosition?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) issuerId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) achievementId?: string;

  @ApiPropertyOptional({ description: 'Learners whose id starts with this (taken literally)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  learnerIdPrefix?: string;

  @ApiPropertyOptional({ enum: AWARD_STATUSES, description: 'The status now' })
  @IsOptional()
  @IsIn(AWARD_STATUSES)
  status?: (typeof AWARD_STATUSES)[number];
}

export class HistoryQueryDto extends PageQueryDto {}

// Response shapes (DESIGN §6), for the OpenAPI document

export class CreditDto {
  @ApiProperty({ example: 'ECTS' }) framework!: string;
  @ApiProperty({ example: 5 }) value!: number;
}

export class LevelDto {
  @ApiProperty({ example: 'EQF' }) framework!: string;
  @ApiProperty({ example: 6 }) level!: number;
}

export class TranscriptAwardDto {
  @ApiProperty() awardId!: string;
  @ApiProperty() achievementId!: string;
  @ApiProperty() issuerId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ description: "The achievement version's title" }) title!: string;
  @ApiPropertyOptional({ enum: ['skill', 'knowledge', 'disposition'] }) kind?: string;
  @ApiProperty({ enum: AWARD_STATUSES }) status!: string;
  @ApiProperty() issuedAt!: string;
  @ApiPropertyOptional() validUntil?: string;
  @ApiProperty({ type: [CreditDto] }) credits!: CreditDto[];
  @ApiProperty({ type: LevelDto }) level!: LevelDto;
}

export class TranscriptQualificationDto {
  @ApiProperty() qualificationId!: string;
  @ApiProperty() pathwayId!: string;
  @ApiProperty() issuerId!: string;
  @ApiProperty() version!: number;
  @ApiProperty() title!: string;
  @ApiProperty({ example: 'Certificate' }) awardType!: string;
  @ApiProperty({ enum: ['conferred', 'invalidated', 'revoked'] }) status!: string;
  @ApiProperty() conferredAt!: string;
  @ApiPropertyOptional() endedAt?: string;
  @ApiProperty({ type: [CreditDto] }) credits!: CreditDto[];
  @ApiProperty({ type: LevelDto }) level!: LevelDto;
}

export class CreditTotalDto {
  @ApiProperty({ example: 'ECTS' }) framework!: string;
  @ApiProperty({ description: 'Every valid award counted once: as stated in this framework, else converted' })
  value!: number;
  @ApiProperty({ enum: ['official', 'convention'], description: 'convention when any conversion used is one' })
  basis!: string;
  @ApiProperty({ description: 'The sum of amounts awarded in this framework itself' }) stated!: number;
  @ApiProperty({ description: 'How many valid awards were converted into this framework' }) converted!: number;
}

export class PriorLearningDto {
  @ApiProperty() recognitionId!: string;
  @ApiProperty() achievementId!: string;
  @ApiProperty() issuer!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: [CreditDto] }) credits!: CreditDto[];
  @ApiPropertyOptional({ type: LevelDto }) level?: LevelDto;
  @ApiProperty() recognisedAt!: string;
}

export class TranscriptDto {
  @ApiProperty() learnerId!: string;
  @ApiPropertyOptional({ description: 'The instant replayed to, when ?asOf= was given' }) asOf?: string;
  @ApiPropertyOptional({ description: 'The position replayed to, when ?asOfPosition= was given' })
  asOfPosition?: string;
  @ApiPropertyOptional({ description: 'The effective date read, when ?effectiveAt= was given' }) effectiveAt?: string;
  @ApiProperty({ type: [TranscriptAwardDto] }) awards!: TranscriptAwardDto[];
  @ApiProperty({ type: [TranscriptQualificationDto] }) qualifications!: TranscriptQualificationDto[];
  @ApiProperty({ type: [CreditTotalDto], description: 'Over valid awards only' }) creditTotals!: CreditTotalDto[];
  @ApiProperty({ type: [PriorLearningDto], description: 'Credit transfer recognised; not counted in the totals' })
  priorLearning!: PriorLearningDto[];
}

export class TranscriptSearchItemDto {
  @ApiProperty() learnerId!: string;
  @ApiProperty() awardId!: string;
  @ApiProperty() issuerId!: string;
  @ApiProperty() achievementId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ enum: AWARD_STATUSES }) status!: string;
  @ApiProperty() issuedAt!: string;
  @ApiPropertyOptional() validUntil?: string;
}

export class TranscriptSearchPageDto {
  @ApiProperty({ type: [TranscriptSearchItemDto] }) items!: TranscriptSearchItemDto[];
  @ApiPropertyOptional({ description: 'Pass as ?cursor= for the next page; absent on the last' }) next?: string;
}

export class HistoryEventDto {
  @ApiProperty() type!: string;
  @ApiProperty() stream!: string;
  @ApiProperty({ description: 'The revision in its stream (a decimal string)' }) revision!: string;
  @ApiProperty({ description: 'The global position (a decimal string)' }) position!: string;
  @ApiProperty() recordedAt!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata!: Record<string, unknown>;
}

export class HistoryPageDto {
  @ApiProperty({ type: [HistoryEventDto] }) events!: HistoryEventDto[];
  @ApiPropertyOptional({ description: 'Pass as ?cursor= for the next page; absent on the last' }) next?: string;
}
