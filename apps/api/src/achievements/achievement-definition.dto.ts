import { ID_PATTERN } from '@app/domain';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';

export const ID_MESSAGE = (field: string) => `${field} must be 1–64 letters, digits, ".", "_", ":" or inner "-"`;

export class CriterionDto {
  @ApiProperty({ example: 'c1' }) @IsString() @MaxLength(64) id!: string;
  @ApiProperty({ example: 'Writes a parameterised SQL query' }) @IsString() @MaxLength(4000) description!: string;
  @ApiProperty() @IsBoolean() required!: boolean;
}

export class LevelDto {
  @ApiProperty({ example: 'EQF' }) @IsString() @MaxLength(32) framework!: string;
  @ApiProperty({ example: 6 }) @IsNumber() level!: number;
}

export class CreditDto {
  @ApiProperty({ example: 'ECTS' }) @IsString() @MaxLength(32) framework!: string;
  @ApiProperty({ example: 5 }) @IsNumber() value!: number;
}

export class SupervisionDto {
  @ApiProperty() @IsBoolean() supervised!: boolean;
  @ApiProperty() @IsBoolean() identityVerified!: boolean;
}

export class AlignmentDto {
  @ApiProperty() @IsString() @MaxLength(300) targetName!: string;
  @ApiProperty() @IsString() @MaxLength(2000) targetUrl!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) targetFramework?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) targetCode?: string;
}

/** One version of a micro-credential definition (the domain checks its meaning; this checks its shape). */
export class AchievementDefinitionDto {
  @ApiProperty({ example: 'Querying relational data' }) @IsString() @MaxLength(300) title!: string;

  @ApiProperty({ enum: ['skill', 'knowledge', 'disposition'] })
  @IsIn(['skill', 'knowledge', 'disposition'])
  kind!: 'skill' | 'knowledge' | 'disposition';

  @ApiProperty({
    example: 'I can query a relational database with SQL',
    description: '"I can…", "I understand…" or "I exhibit…"',
  })
  @IsString()
  @MaxLength(4000)
  statement!: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) description?: string;

  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(4000, { each: true })
  learningOutcomes!: string[];

  @ApiProperty({ type: [CriterionDto] })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => CriterionDto)
  criteria!: CriterionDto[];

  @ApiProperty({ example: 50 }) @IsNumber() notionalHours!: number;

  @ApiProperty({ type: LevelDto }) @ValidateNested() @Type(() => LevelDto) level!: LevelDto;

  @ApiPropertyOptional({ type: [CreditDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => CreditDto)
  credits?: CreditDto[];

  @ApiProperty({ example: 'practical demonstration' }) @IsString() @MaxLength(300) assessmentType!: string;

  @ApiPropertyOptional({ type: SupervisionDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SupervisionDto)
  supervision?: SupervisionDto;

  @ApiProperty({ enum: ['online', 'onsite', 'blended'] })
  @IsIn(['online', 'onsite', 'blended'])
  participation!: 'online' | 'onsite' | 'blended';

  @ApiPropertyOptional({ example: 'P3Y', description: 'ISO 8601 duration an award stays valid' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  validity?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'Achievement ids that must be held, valid, when this is awarded',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  prerequisites?: string[];

  @ApiPropertyOptional({ type: [AlignmentDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => AlignmentDto)
  alignments?: AlignmentDto[];

  @ApiPropertyOptional({ description: 'Further information' }) @IsOptional() @IsString() @MaxLength(2000) url?: string;
}

export class DefineAchievementDto extends AchievementDefinitionDto {
  @ApiPropertyOptional({ description: 'Chosen by the issuer, or generated' })
  @IsOptional()
  @IsString()
  @Matches(ID_PATTERN, { message: ID_MESSAGE('id') })
  id?: string;
  @ApiProperty({ example: 'uni-tartu' }) @IsString() @MaxLength(64) issuerId!: string;
}

export class RetireAchievementDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}
