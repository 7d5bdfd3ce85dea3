import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DEPARTMENTS, STATUS_FILTER, STATUS_FILTER_MESSAGE, TICKET_KINDS, type Department, type TicketKind } from '@dispatch/domain';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';

export class ListTicketsQuery {
  @ApiPropertyOptional({ description: '`open`, one status, or several separated by commas' })
  @IsOptional()
  @Matches(STATUS_FILTER, { message: STATUS_FILTER_MESSAGE })
  status?: string;

  @ApiPropertyOptional({ enum: DEPARTMENTS })
  @IsOptional()
  @IsIn(DEPARTMENTS)
  department?: Department;

  @ApiPropertyOptional({ enum: TICKET_KINDS })
  @IsOptional()
  @IsIn(TICKET_KINDS)
  kind?: TicketKind;

  @ApiPropertyOptional({ description: 'opaque cursor from the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

/** POST /api/tickets/search: in the body, since a phone number never goes in a URL. */
export class SearchTicketsDto {
  @ApiProperty({ example: '4-2-301', description: 'a ticket number (or part), a unit code (or its start), a phone number (exact), or words of the description or place' })
  @IsString()
  @Length(1, 100)
  q!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}
