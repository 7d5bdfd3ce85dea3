import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** `GET /api/events`: a position in the log and a page size; garbage is refused, not defaulted. */
export class EventsQuery {
  @ApiPropertyOptional({ minimum: 0, default: 0, description: 'events with seq greater than this' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  after?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

/** `GET /api/sla/board`: the window the rates are computed over. */
export class SlaBoardQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 720, default: 24, description: 'hours back from now' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(720)
  hours?: number;
}
