import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class CompromiseKeyDto {
  @ApiProperty({
    example: '2026-03-01T00:00:00Z',
    description:
      'When the key is believed to have leaked: an ISO 8601 instant, within the key’s life, not in the future',
  })
  @IsString()
  @MaxLength(64)
  since!: string;
}
