import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';

/** `?asOf=<instant>`: answer as the ledger stood then. */
export class AsOfQuery {
  @ApiPropertyOptional({ example: '2026-03-01T00:00:00Z', description: 'An ISO 8601 instant' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'asOf must be an ISO 8601 instant, e.g. 2026-03-01T00:00:00Z' })
  asOf?: string;
}
