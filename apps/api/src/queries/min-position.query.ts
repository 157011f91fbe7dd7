import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

/** `?minPosition=`: a global position a command answered with; the query waits until its read model has it. */
export class MinPositionQuery {
  @ApiPropertyOptional({ description: 'A position returned by a command (a decimal string)' })
  @IsOptional()
  @Matches(/^\d{1,19}$/, { message: 'minPosition must be a position returned by a command (decimal digits)' })
  minPosition?: string;
}
