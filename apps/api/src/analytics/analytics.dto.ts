import { ApiProperty } from '@nestjs/swagger';

// Response shapes, for the OpenAPI document

export class EvidenceCountsDto {
  @ApiProperty() total!: number;
  @ApiProperty() accomplishment!: number;
  @ApiProperty() challenge!: number;
}

export class AssessmentCountsDto {
  @ApiProperty() total!: number;
  @ApiProperty() passed!: number;
  @ApiProperty() notYet!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'passed / total (to 4 decimals); null when none' })
  passRate!: number | null;
}

class AnalyticsFiguresDto {
  @ApiProperty({ type: EvidenceCountsDto }) evidence!: EvidenceCountsDto;
  @ApiProperty({ type: AssessmentCountsDto }) assessments!: AssessmentCountsDto;
  @ApiProperty({ description: 'Awards made (a re-award after a revocation counts again)' }) awards!: number;
  @ApiProperty() suspensions!: number;
  @ApiProperty() revocations!: number;
  @ApiProperty() reinstatements!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description:
      'Median over learners awarded of days (to 2 decimals) from the first evidence observed (observedAt) to the ' +
      'first award (issuedAt); null when none',
  })
  medianDaysToAward!: number | null;
  @ApiProperty({ description: 'Distinct learners with evidence, an assessment or an award' }) learners!: number;
}

export class AchievementAnalyticsDto extends AnalyticsFiguresDto {
  @ApiProperty() achievementId!: string;
  @ApiProperty({ type: String, nullable: true }) issuerId!: string | null;
}

export class IssuerAnalyticsDto extends AnalyticsFiguresDto {
  @ApiProperty() issuerId!: string;
  @ApiProperty({ type: [String], description: 'The achievements summed' }) achievementIds!: string[];
}

class PassRateDto {
  @ApiProperty() achievementId!: string;
  @ApiProperty() passed!: number;
  @ApiProperty() notYet!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'passed / (passed + notYet), to 4 decimals' })
  passRate!: number | null;
}

class DaysToAwardBucketDto {
  @ApiProperty({ description: 'Inclusive' }) fromDays!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Exclusive; null for the last, open bucket' })
  toDays!: number | null;
  @ApiProperty() learners!: number;
}

class MonthCreditsDto {
  @ApiProperty({ example: '2026-03', description: 'The month awarded (UTC)' }) month!: string;
  @ApiProperty() framework!: string;
  @ApiProperty() value!: number;
}

class FunnelStepDto {
  @ApiProperty({ description: 'Learners holding at least this many of the achievements, valid' }) atLeast!: number;
  @ApiProperty() learners!: number;
}

class PathwayFunnelDto {
  @ApiProperty() pathwayId!: string;
  @ApiProperty({ type: [String], description: 'The achievements the rule names, nested pathways’ included' })
  achievementIds!: string[];
  @ApiProperty({ type: [FunnelStepDto] }) steps!: FunnelStepDto[];
  @ApiProperty({ description: 'Learners holding the qualification, conferred' }) conferred!: number;
}

export class IssuerChartsDto {
  @ApiProperty() issuerId!: string;
  @ApiProperty({ type: [PassRateDto], description: 'Per achievement of the issuer' }) passRates!: PassRateDto[];
  @ApiProperty({
    type: [DaysToAwardBucketDto],
    description: 'Learners by days from first evidence to first award (buckets up to the last non-empty one)',
  })
  daysToAward!: DaysToAwardBucketDto[];
  @ApiProperty({ type: [MonthCreditsDto], description: 'Credits of the awards made, by month and framework' })
  creditsByMonth!: MonthCreditsDto[];
  @ApiProperty({ type: [PathwayFunnelDto], description: 'One per published pathway of the issuer' })
  pathways!: PathwayFunnelDto[];
}
