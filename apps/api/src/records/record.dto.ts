import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { ID_PATTERN } from '@app/domain';
import { CreditDto, ID_MESSAGE, LevelDto } from '../achievements/achievement-definition.dto';

export class ArtifactDto {
  @ApiProperty({ example: 'https://portfolio.example.edu/ada/sql-project' }) @IsString() @MaxLength(2000) url!: string;
  @ApiProperty({ description: 'SHA-256 of the artifact, 64 hex digits' }) @IsString() @MaxLength(64) sha256!: string;
}

export class SubmitEvidenceDto {
  @ApiProperty({ enum: ['accomplishment', 'challenge'] })
  @IsIn(['accomplishment', 'challenge'])
  kind!: 'accomplishment' | 'challenge';

  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  criterionIds!: string[];

  @ApiProperty() @IsString() @MaxLength(4000) description!: string;

  @ApiPropertyOptional({ type: ArtifactDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ArtifactDto)
  artifact?: ArtifactDto;

  @ApiProperty({ example: '2026-03-01T10:00:00Z' }) @IsISO8601({ strict: true }) observedAt!: string;

  @ApiPropertyOptional({ description: 'Who observed it; the assessor when absent' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  observedBy?: string;

  @ApiPropertyOptional({ description: 'The achievement version; the latest when absent' })
  @IsOptional()
  @IsInt()
  version?: number;
}

export class CriterionResultDto {
  @ApiProperty() @IsString() @MaxLength(64) criterionId!: string;
  @ApiProperty() @IsBoolean() met!: boolean;
}

export class RecordAssessmentDto {
  @ApiProperty({ type: [String] }) @IsArray() @ArrayMaxSize(200) @IsString({ each: true }) evidenceIds!: string[];

  @ApiProperty({ type: [CriterionResultDto] })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => CriterionResultDto)
  results!: CriterionResultDto[];

  @ApiPropertyOptional() @IsOptional() @IsInt() version?: number;

  @ApiPropertyOptional({
    description:
      'When it was assessed, for a record moved from another system (never before its evidence); absent: now',
    example: '2024-03-05T11:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  assessedAt?: string;
}

export class AwardAchievementDto {
  @ApiPropertyOptional({
    description:
      'When it was awarded, for a record moved from another system (never before its assessment); validity runs ' +
      'from it; absent: now',
    example: '2024-03-10T14:00:00Z',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  awardedAt?: string;
}

export class AwardStatusChangeDto {
  @ApiProperty({ example: 'Academic misconduct confirmed by the board' }) @IsString() @MaxLength(2000) reason!: string;
}

export class ReinstateAwardDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}

export class PriorLearningEvidenceDto {
  @ApiProperty() @IsString() @MaxLength(4000) description!: string;
  @ApiPropertyOptional({ type: ArtifactDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ArtifactDto)
  artifact?: ArtifactDto;
}

export class RecognisePriorLearningDto {
  @ApiProperty({ description: 'The achievement the external credential is recognised toward' })
  @IsString()
  @Matches(ID_PATTERN, { message: ID_MESSAGE('achievementId') })
  achievementId!: string;

  @ApiProperty({ example: 'Open University' }) @IsString() @MaxLength(300) issuer!: string;
  @ApiProperty({ example: 'Databases (M269)' }) @IsString() @MaxLength(300) title!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) url?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) awardedAt?: string;

  @ApiProperty({ type: [CreditDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => CreditDto)
  credits!: CreditDto[];

  @ApiPropertyOptional({ type: LevelDto }) @IsOptional() @ValidateNested() @Type(() => LevelDto) level?: LevelDto;

  @ApiProperty({ type: PriorLearningEvidenceDto })
  @ValidateNested()
  @Type(() => PriorLearningEvidenceDto)
  evidence!: PriorLearningEvidenceDto;
}
