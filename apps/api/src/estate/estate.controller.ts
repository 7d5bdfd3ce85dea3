import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, type AreaView, type EstateRules, maskName, maskPhone, type UnitLookup } from '@dispatch/domain';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { invalidField } from '../common/errors';
import { EventBus } from '../events/event-bus';
import { EventLogService } from '../events/event-log.service';
import { CurrentActor } from '../identity/current-actor.decorator';
import { Can } from '../identity/public.decorator';
import { eventActor } from '../tickets/tickets.service';
import { parseCalendar, parseWarrantyYears } from './estate-rules';
import { EstateEntity, PublicAreaEntity } from './estate.entity';
import { EstateService, rulesOf } from './estate.service';
import { officialYears, withOfficialYear } from './official-days';

export class UpdateEstateRulesDto {
  @ApiPropertyOptional({
    description: 'the whole calendar: {weekly: {"1": [["08:00","20:00"]], ... "7": [...]}, holidays: ["2026-10-01", ...], workdays: ["2026-10-10", ...] (调休), workdayHours?}',
  })
  @IsOptional()
  @IsObject()
  calendar?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'warranty years per category, e.g. {"water_leak": 5, "lights": 2}; a category left out has none' })
  @IsOptional()
  @IsObject()
  warrantyYears?: Record<string, unknown>;
}

export class OfficialDaysDto {
  @ApiProperty({ example: 2026, description: 'the year whose State Council schedule replaces that year\'s holidays and make-up working days' })
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year!: number;
}

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
    private readonly log: EventLogService,
    private readonly bus: EventBus,
  ) {}

  @Get('rules')
  @Can('estate.rules.read')
  @ApiOkResponse({ description: '{timezone, calendar: {weekly, holidays, workdays, workdayHours?}, warrantyYears, officialYears}: officialYears are the years the bundled State Council data covers' })
  async rules(): Promise<EstateRules & { officialYears: number[] }> {
    return { ...(await this.estates.rules()).rules, officialYears: officialYears() };
  }

  /** An admin changes the calendar or the warranty years; logged with before and after. New clocks use it; running ones keep their due times. */
  @Patch('rules')
  @Can('estate.rules.edit')
  @ApiOkResponse({ description: 'the rules after the change' })
  async updateRules(@Body() body: UpdateEstateRulesDto, @CurrentActor() actor: Actor): Promise<EstateRules> {
    if (body.calendar === undefined && body.warrantyYears === undefined) throw invalidField('body', 'change the calendar, the warranty years or both');
    return this.changeRules(actor, (estate) => ({
      ...(body.calendar !== undefined ? { calendar: parseCalendar(body.calendar, estate.timezone) } : {}),
      ...(body.warrantyYears !== undefined ? { warrantyYears: parseWarrantyYears(body.warrantyYears) } : {}),
    }));
  }

  /** Takes one year's official holidays and 调休 working days from the bundled data into the calendar. */
  @Post('rules/official-days')
  @HttpCode(200)
  @Can('estate.rules.edit')
  @ApiOkResponse({ description: 'the rules with that year\'s official days in place of what the calendar had for it' })
  async officialDays(@Body() body: OfficialDaysDto, @CurrentActor() actor: Actor): Promise<EstateRules> {
    return this.changeRules(
      actor,
      (_estate, rules) => {
        const calendar = withOfficialYear(rules.calendar, body.year);
        if (!calendar) throw invalidField('year', `the bundled schedule (${officialYears().at(0)}-${officialYears().at(-1)}) has no ${body.year}: enter its dates with PATCH /api/estate/rules`);
        return { calendar };
      },
      body.year,
    );
  }

  private async changeRules(actor: Actor, change: (estate: EstateEntity, rules: EstateRules) => Partial<Pick<EstateEntity, 'calendar' | 'warrantyYears'>>, officialYear?: number): Promise<EstateRules> {
    const { rules, event } = await this.dataSource.transaction(async (db) => {
      const { estate, rules: previous } = await this.estates.rules(db, true);
      Object.assign(estate, change(estate, previous));
      await db.save(EstateEntity, estate);
      const rules = rulesOf(estate);
      const data = { rules, previous, actor: eventActor(actor), ...(officialYear ? { officialYear } : {}) };
      return { rules, event: await this.log.append(db, { type: 'estate.rules_changed', actor: actor.id, data }, new Date()) };
    });
    this.bus.published([event]);
    return rules;
  }

  @Get('units')
  @Can('estate.lookup')
  @ApiOkResponse({ description: 'units whose code starts with q, in code order; the owner\'s name and phone masked' })
  async units(@Query() query: UnitSearchQuery): Promise<UnitLookup[]> {
    const estate = await this.estates.current();
    const rows = await this.dataSource.query<
      Array<{ code: string; building: number; entrance: number; floor: number; room: string; owner_name: string | null; owner_phone: string | null; key_owner: boolean; handover_date: string | null; open_tickets: number }>
    >(
      `SELECT u.code, u.building, u.entrance, u.floor, u.room, u.owner_name, u.owner_phone, u.key_owner,
              to_char(u.handover_date, 'YYYY-MM-DD') AS handover_date,
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
      handoverDate: row.handover_date,
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
