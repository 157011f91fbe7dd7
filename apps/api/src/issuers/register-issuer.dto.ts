import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SLUG_PATTERN } from '@app/domain';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class RegisterIssuerDto {
  @ApiProperty({ example: 'uni-tartu', description: 'A lower-case slug, unique among issuers' })
  @IsString()
  @Matches(SLUG_PATTERN, { message: 'id must be a lower-case slug of letters, digits and inner hyphens (at most 64)' })
  id!: string;

  @ApiProperty({ example: 'University of Tartu' })
  @IsString()
  @MaxLength(300)
  name!: string;

  @ApiProperty({ example: 'https://ut.ee' })
  @IsString()
  @MaxLength(2000)
  url!: string;

  @ApiProperty({ example: 'EE', description: 'ISO 3166-1 alpha-2' })
  @IsString()
  @MaxLength(2)
  country!: string;

  @ApiProperty({ example: 'Estonian Quality Agency for Education (HAKA)', description: 'The quality-assurance body' })
  @IsString()
  @MaxLength(300)
  qualityAssurance!: string;

  @ApiPropertyOptional({ example: 'EstQF', description: 'The national qualifications framework it references' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  framework?: string;
}
