import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { SLUG_PATTERN } from '@app/domain';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { AsOfEffectiveAtQuery } from '../queries/as-of.query';

const FORMATS = ['json', 'jwt'] as const;
/** An award's or a qualification's credential has a third form: the European Digital Credential. */
export const RECORD_CREDENTIAL_FORMATS = [...FORMATS, 'edc'] as const;
export type RecordCredentialFormat = (typeof RECORD_CREDENTIAL_FORMATS)[number];
export const RECORD_CREDENTIAL_FORMAT_MESSAGE = 'format must be "json", "jwt" or "edc"';
export const RECORD_CREDENTIAL_FORMAT_DESCRIPTION =
  'json: the OB 3.0 AchievementCredential (public); jwt: the same as a VC-JWT signed by the issuer (public); ' +
  'edc: the European Digital Credential in the European Learning Model v3 profile (application/ld+json, ' +
  'unsigned JSON-LD, no eIDAS seal), naming the learner, so a bearer token of the learner or of staff of the ' +
  'awarding issuer is required';

/** `?format=json|jwt`: the credential as JSON (the default) or as a compact VC-JWT. */
export class CredentialFormatQuery {
  @ApiPropertyOptional({ enum: FORMATS, default: 'json' })
  @IsOptional()
  @IsIn(FORMATS, { message: 'format must be "json" or "jwt"' })
  format?: (typeof FORMATS)[number];
}

/**
 * `?format=json|jwt|edc` of an award's or a qualification's credential: the OB 3.0 AchievementCredential as JSON (the
 * default) or a VC-JWT, or the European Digital Credential (ELM v3 JSON-LD, unsigned), which only the learner or
 * staff of the awarding issuer may read.
 */
export class RecordCredentialFormatQuery {
  @ApiPropertyOptional({
    enum: RECORD_CREDENTIAL_FORMATS,
    default: 'json',
    description: RECORD_CREDENTIAL_FORMAT_DESCRIPTION,
  })
  @IsOptional()
  @IsIn(RECORD_CREDENTIAL_FORMATS, { message: RECORD_CREDENTIAL_FORMAT_MESSAGE })
  format?: RecordCredentialFormat;
}

/**
 * `?format=`, `?asOf=`, `?effectiveAt=` and `?issuer=`: one issuer's CLR as JSON or VC-JWT, now, as the ledger stood
 * at an instant, or of what the learner had achieved by a date (by the dates things happened).
 */
export class ClrQuery extends IntersectionType(AsOfEffectiveAtQuery, CredentialFormatQuery) {
  @ApiPropertyOptional({
    example: 'tu-dublin',
    description: 'The issuer of the CLR; needed only when the learner holds credentials of several',
  })
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: 'issuer must be an issuer id (a lower-case slug)' })
  issuer?: string;
}
