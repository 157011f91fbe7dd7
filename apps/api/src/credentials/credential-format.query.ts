import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { AsOfQuery } from '../queries/as-of.query';

const FORMATS = ['json', 'jwt'] as const;

/** `?format=json|jwt`: the credential as JSON (the default) or as a compact VC-JWT. */
export class CredentialFormatQuery {
  @ApiPropertyOptional({ enum: FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(FORMATS, { message: 'format must be "json" or "jwt"' })
  format?: (typeof FORMATS)[number];
}

/** `?format=` and `?asOf=`: a CLR as JSON or VC-JWT, now or as the ledger stood at an instant. */
export class ClrQuery extends IntersectionType(AsOfQuery, CredentialFormatQuery) {}
