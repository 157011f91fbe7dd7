import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsOptional, IsString, IsUrl, MaxLength, MinLength, ValidateNested } from 'class-validator';

/** How a learning platform names the learner in xAPI statements (`actor.account`). */
export class XapiAccountDto {
  @ApiProperty({ example: 'https://moodle.example.edu' })
  @IsUrl({ require_tld: false, require_protocol: true })
  @MaxLength(2048)
  homePage!: string;
  @ApiProperty({ example: '4711', description: 'The id the platform knows the learner by' })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  name!: string;
}

/** Personal data: kept in the erasable profile store, never in an event. */
export class LearnerProfileDto {
  @ApiProperty({ example: 'Ada Lovelace' }) @IsString() @MinLength(1) @MaxLength(300) name!: string;
  @ApiProperty({ example: 'ada@example.edu' }) @IsEmail() @MaxLength(320) email!: string;
  @ApiPropertyOptional({
    type: XapiAccountDto,
    description: 'The xAPI account a learning platform names the learner by (matched to statements’ actor.account)',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => XapiAccountDto)
  xapiAccount?: XapiAccountDto;
  @ApiPropertyOptional({
    example: 'tu-dublin',
    description: "The issuer a registrar records the profile for; needed when the registrar's token holds several",
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  issuerId?: string;
}
