import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

/** Personal data: kept in the erasable profile store, never in an event. */
export class LearnerProfileDto {
  @ApiProperty({ example: 'Ada Lovelace' }) @IsString() @MinLength(1) @MaxLength(300) name!: string;
  @ApiProperty({ example: 'ada@example.edu' }) @IsEmail() @MaxLength(320) email!: string;
  @ApiPropertyOptional({
    example: 'tu-dublin',
    description: "The issuer a registrar records the profile for; needed when the registrar's token holds several",
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  issuerId?: string;
}
