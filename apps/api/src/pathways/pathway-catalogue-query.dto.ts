import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { MinPositionQuery } from '../queries/min-position.query';

export class PathwayCatalogueQueryDto extends MinPositionQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) issuerId?: string;
  @ApiPropertyOptional({ description: 'The award type, e.g. Certificate or ext:MicroDegree' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  type?: string;
  @ApiPropertyOptional({ enum: ['published', 'retired'] })
  @IsOptional()
  @IsIn(['published', 'retired'])
  status?: string;
}
