import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { ID_PATTERN } from '@app/domain';
import { CreditDto, ID_MESSAGE, LevelDto } from '../achievements/achievement-definition.dto';
import { MinPositionQuery } from '../queries/min-position.query';
import { PageQueryDto } from '../transcripts/transcript.dto';

export class PathwayAwardDto {
  @ApiProperty({ example: 'Micro-degree in Data Engineering' }) @IsString() @MaxLength(300) title!: string;

  @ApiProperty({
    example: 'ext:MicroDegree',
    description: 'An OB 3.0 achievementType (Certificate, Diploma, LearningProgram…) or ext:…',
  })
  @IsString()
  @MaxLength(64)
  type!: string;

  @ApiProperty({ type: LevelDto }) @ValidateNested() @Type(() => LevelDto) level!: LevelDto;

  @ApiProperty({ type: [CreditDto], description: "The first credit's framework is the pathway's framework for totals" })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => CreditDto)
  credits!: CreditDto[];
}

/** The OpenAPI component that holds the rule's schema (libs/domain/src/stacking/rule.schema.ts). */
export const PATHWAY_RULE = 'PathwayRule';

/** One version of a stackable pathway: the award it leads to, its rule, and who confers it. */
export class PathwayDefinitionDto {
  @ApiProperty({ example: 'Data Engineering micro-degree' }) @IsString() @MaxLength(300) title!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) description?: string;
  @ApiProperty({ type: PathwayAwardDto }) @ValidateNested() @Type(() => PathwayAwardDto) award!: PathwayAwardDto;

  @ApiProperty({
    description:
      'The stacking rule: achievement, pathway, allOf, anyOf, nOf, credits, count (docs/pathway-rules.md; its JSON ' +
      'Schema is also served at /schemas/pathway-rule.json)',
    allOf: [{ $ref: `#/components/schemas/${PATHWAY_RULE}` }],
    example: {
      allOf: [{ achievement: 'sql' }, { nOf: { n: 1, of: [{ achievement: 'spark' }, { achievement: 'kafka' }] } }],
    },
  })
  @IsObject()
  rule!: Record<string, unknown>;

  @ApiProperty({ enum: ['automatic', 'registrar'] }) @IsIn(['automatic', 'registrar']) conferral!:
    'automatic' | 'registrar';

  @ApiPropertyOptional({
    enum: ['invalidate', 'revoke'],
    description: 'What happens to a conferred qualification that loses an award',
  })
  @IsOptional()
  @IsIn(['invalidate', 'revoke'])
  onBasisLost?: 'invalidate' | 'revoke';
}

export class DefinePathwayDto extends PathwayDefinitionDto {
  @ApiPropertyOptional({ description: 'Chosen by the issuer, or generated' })
  @IsOptional()
  @IsString()
  @Matches(ID_PATTERN, { message: ID_MESSAGE('id') })
  id?: string;

  @ApiProperty({ example: 'tu-dublin' }) @IsString() @MaxLength(64) issuerId!: string;
}

export class RetirePathwayDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}

/** `limit` and `cursor` as for `GET /transcripts`; `minPosition` waits for the transcript read model. */
export class ImpactQueryDto extends IntersectionType(PageQueryDto, MinPositionQuery) {}

/** A page of a revision's impact (`GET /pathways/:id/revisions/:v/impact`). */
export class ImpactPageDto {
  @ApiProperty() pathwayId!: string;
  @ApiProperty({ description: 'The version asked about' }) version!: number;
  @ApiProperty({ description: 'The instant every page of this dry run is evaluated at (kept in the cursor)' })
  evaluatedAt!: string;
  @ApiProperty({ description: 'How many learners this page evaluated' }) learners!: number;
  @ApiProperty({ type: [String], description: 'Learners on this page who would complete the pathway and do not now' })
  gain!: string[];
  @ApiProperty({ type: [String], description: 'Learners on this page who complete it now and would not' })
  lose!: string[];
  @ApiPropertyOptional({ description: 'The cursor of the next page, when more learners may be affected' })
  next?: string;
}
