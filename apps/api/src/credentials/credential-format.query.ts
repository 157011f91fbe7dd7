import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { SLUG_PATTERN } from '@app/domain';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { AsOfQuery } from '../queries/as-of.query';

const FORMATS = ['json', 'jwt'] as const;

/** `?format=json|jwt`: the credential as JSON (the default) or as a compact VC-JWT. */
export class CredentialFormatQuery {
  @ApiPropertyOptional({ enum: FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(FORMATS, { message: 'format must be "json" or "jwt"' })
  format?: (typeof FORMATS)[number];
}

/** `?format=`, `?asOf=` and `?issuer=`: one issuer's CLR as JSON or VC-JWT, now or as the ledger stood at an instant. */
export class ClrQuery extends IntersectionType(AsOfQuery, CredentialFormatQuery) {
  @ApiPropertyOptional({
    example: 'tu-dublin',
    description: 'The issuer of the CLR; needed only when the learner holds credentials of several',
  })
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: 'issuer must be an issuer id (a lower-case slug)' })
  issuer?: string;
}
