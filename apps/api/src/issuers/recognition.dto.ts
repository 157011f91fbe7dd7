import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SLUG_PATTERN } from '@app/domain';
import { Allow, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** A recognition of another issuer's achievements (a credit-transfer agreement); the domain checks the rest. */
export class RecordRecognitionDto {
  @ApiProperty({ example: 'uni-porto', description: 'The issuer whose achievements are recognised' })
  @IsString()
  @Matches(SLUG_PATTERN, { message: 'recognisedIssuerId must be an issuer id (a lower-case slug)' })
  recognisedIssuerId!: string;

  @ApiProperty({
    oneOf: [
      { type: 'string', enum: ['all'] },
      { type: 'array', items: { type: 'string' } },
    ],
    example: ['porto-statistics'],
    description: '"all" of its achievements, or a list of its achievement ids',
  })
  @Allow()
  achievementIds!: 'all' | string[];

  @ApiProperty({ example: '2026-09-01T00:00:00Z', description: 'Awards made from this instant on count' })
  @IsString()
  from!: string;

  @ApiPropertyOptional({ example: '2029-09-01T00:00:00Z', description: 'Awards made from this instant on do not' })
  @IsOptional()
  @IsString()
  until?: string;

  @ApiPropertyOptional({ example: 'ERASMUS+ IIA 2026-17', description: "The agreement's reference" })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  agreement?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(10_000) note?: string;
}

export class WithdrawRecognitionDto {
  @ApiPropertyOptional({
    example: '2027-01-01T00:00:00Z',
    description: 'When it ends (default now; never earlier): awards made from then on no longer count',
  })
  @IsOptional()
  @IsString()
  effectiveAt?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(10_000) reason?: string;
}
