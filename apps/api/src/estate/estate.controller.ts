import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AreaView, maskName, maskPhone, type UnitLookup } from '@dispatch/domain';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { Can } from '../identity/public.decorator';
import { PublicAreaEntity } from './estate.entity';
import { EstateService } from './estate.service';

export class UnitSearchQuery {
  @ApiPropertyOptional({ example: '4-2-3', description: 'the start of a unit code: building, entrance, room' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9]{0,3}(-[0-9]{0,3}(-[0-9]{0,5})?)?$/, { message: 'must be the start of a unit code such as 4-2-301' })
  q?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 50, default: 10 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  limit?: number;
}


/** What the intake form looks up: units (with their owner, masked) and public areas. */
@ApiTags('estate')
@ApiBearerAuth()
@Controller('estate')
export class EstateController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly estates: EstateService,
  ) {}

  @Get('units')
  @Can('estate.lookup')
  @ApiOkResponse({ description: 'units whose code starts with q, in code order; the owner\'s name and phone masked' })
  async units(@Query() query: UnitSearchQuery): Promise<UnitLookup[]> {
    const estate = await this.estates.current();
    const rows = await this.dataSource.query<
      Array<{ code: string; building: number; entrance: number; floor: number; room: string; owner_name: string | null; owner_phone: string | null; key_owner: boolean; open_tickets: number }>
    >(
      `SELECT u.code, u.building, u.entrance, u.floor, u.room, u.owner_name, u.owner_phone, u.key_owner,
              (SELECT count(*)::int FROM ticket t WHERE t.unit_id = u.id AND t.status NOT IN ('closed', 'cancelled')) AS open_tickets
         FROM unit u
        WHERE u.estate_id = $1 AND u.code LIKE $2
        ORDER BY u.building, u.entrance, u.floor, u.room
        LIMIT $3`,
      [estate.id, `${query.q ?? ''}%`, query.limit ?? 10],
    );
    return rows.map((row) => ({
      code: row.code,
      building: row.building,
      entrance: row.entrance,
      floor: row.floor,
      room: row.room,
      owner:
        row.owner_name || row.owner_phone
          ? {
              name: row.owner_name ? maskName(row.owner_name) : null,
              phone: row.owner_phone ? maskPhone(row.owner_phone) : null,
              keyOwner: row.key_owner,
              masked: true,
            }
          : null,
      openTickets: row.open_tickets,
    }));
  }

  @Get('areas')
  @Can('estate.lookup')
  @ApiOkResponse({ description: 'the estate\'s public areas' })
  async areas(): Promise<AreaView[]> {
    const estate = await this.estates.current();
    const areas = await this.dataSource.getRepository(PublicAreaEntity).find({ where: { estateId: estate.id }, order: { code: 'ASC' } });
    return areas.map((area) => ({ code: area.code, name: { zh: area.nameZh, en: area.nameEn } }));
  }
}
