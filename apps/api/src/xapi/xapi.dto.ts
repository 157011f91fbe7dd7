import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

export class RegisterXapiClientDto {
  @ApiPropertyOptional({ example: 'Moodle (production)', description: 'What the client is, for people' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;
}

export class XapiAssessLevelDto {
  @ApiProperty({ example: 'pass' }) @IsString() @MinLength(1) @MaxLength(100) name!: string;
  @ApiProperty({ example: 0.6, description: 'The least scaled score (-1..1) that reaches the level' })
  @IsNumber()
  @Min(-1)
  @Max(1)
  minScaled!: number;
  @ApiProperty({ description: 'Whether the level meets the criterion' }) @IsBoolean() met!: boolean;
}

export class XapiAssessDto {
  @ApiProperty({ type: [XapiAssessLevelDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => XapiAssessLevelDto)
  levels!: XapiAssessLevelDto[];
}

export class XapiRuleDto {
  @ApiProperty({ example: 'joins' }) @IsString() criterionId!: string;
  @ApiProperty({ example: 'http://adlnet.gov/expapi/verbs/completed' }) @IsString() @MaxLength(2048) verb!: string;
  @ApiPropertyOptional({ example: 'https://moodle.example.edu/mod/quiz/view.php?id=7' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  activityId?: string;
  @ApiPropertyOptional({ example: 'http://adlnet.gov/expapi/activities/assessment' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  activityType?: string;
  @ApiPropertyOptional({ description: 'Only statements whose result.success is this' })
  @IsOptional()
  @IsBoolean()
  success?: boolean;
  @ApiPropertyOptional({ description: 'Only statements scored (result.score.scaled) at least this' })
  @IsOptional()
  @IsNumber()
  @Min(-1)
  @Max(1)
  minScaled?: number;
  @ApiPropertyOptional({
    type: XapiAssessDto,
    description: 'The score assesses the criterion: the level it reaches says whether it is met (automated assessment)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => XapiAssessDto)
  assess?: XapiAssessDto;
}

export class XapiMappingDto {
  @ApiProperty({ type: [XapiRuleDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => XapiRuleDto)
  rules!: XapiRuleDto[];
}
