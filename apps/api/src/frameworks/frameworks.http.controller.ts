import { CONVERSION_TABLE_VERSION, convertCredits, CREDIT_FRAMEWORKS, LEVEL_FRAMEWORKS } from '@app/domain';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsNumber, IsString, Max, MaxLength, Min } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';

export class ConvertQueryDto {
  @ApiProperty({ example: 'CATS' }) @IsString() @MaxLength(32) from!: string;
  @ApiProperty({ example: 'ECTS' }) @IsString() @MaxLength(32) to!: string;
  @ApiProperty({ example: 15 }) @Type(() => Number) @IsNumber() @Min(0) @Max(100_000) value!: number;
}

/** Credit and level frameworks as data, each figure with its source and whether it is official or a convention. */
@ApiTags('frameworks')
@ApiBearerAuth()
@Controller('frameworks')
export class FrameworksController {
  @Get()
  @ApiOkResponse({ description: '{ tableVersion, credit: [...], level: [...] }' })
  list() {
    return { tableVersion: CONVERSION_TABLE_VERSION, credit: CREDIT_FRAMEWORKS, level: LEVEL_FRAMEWORKS };
  }

  @Get('convert')
  @ApiOkResponse({ description: '{ from, to, value, result, basis: "official" | "convention", source }' })
  convert(@Query() query: ConvertQueryDto) {
    return convertCredits(query.value, query.from, query.to);
  }
}
