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
