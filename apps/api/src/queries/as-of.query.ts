import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';

/** `?asOf=<instant>`: answer as the ledger stood then. */
export class AsOfQuery {
  @ApiPropertyOptional({
    example: '2026-03-01T00:00:00Z',
    description: 'An ISO 8601 instant: as the ledger knew it then (by when events were recorded)',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'asOf must be an ISO 8601 instant, e.g. 2026-03-01T00:00:00Z' })
  asOf?: string;
}

/**
 * `?effectiveAt=<instant>`: what the learner had achieved by then, by the dates things happened (records moved from
 * another system carry theirs), as the ledger knows it now — or as of `?asOf=` when both are given.
 */
export class EffectiveAtQuery {
  @ApiPropertyOptional({
    example: '2024-06-30T00:00:00Z',
    description:
      'An ISO 8601 instant: what the learner had achieved by then, by the dates things happened (records moved ' +
      'from another system carry theirs), as the ledger knows it now (or as of ?asOf=)',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'effectiveAt must be an ISO 8601 instant, e.g. 2024-06-30T00:00:00Z' })
  effectiveAt?: string;
}

/** `?asOf=` and `?effectiveAt=`, each alone or both: as the ledger knew it then, what had happened by then. */
export class AsOfEffectiveAtQuery extends IntersectionType(AsOfQuery, EffectiveAtQuery) {}
