import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { MinPositionQuery } from '../queries/min-position.query';

export class CatalogueQueryDto extends MinPositionQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) issuerId?: string;

  @ApiPropertyOptional({ enum: ['skill', 'knowledge', 'disposition'] })
  @IsOptional()
  @IsIn(['skill', 'knowledge', 'disposition'])
  kind?: string;

  @ApiPropertyOptional({ enum: ['published', 'retired'] })
  @IsOptional()
  @IsIn(['published', 'retired'])
  status?: string;
}
