import { Body, Controller, Get, NotFoundException, Param, ParseUUIDPipe, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Actor, type Department, DEPARTMENTS, type StaffLoad } from '@dispatch/domain';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { DataSource } from 'typeorm';
import { CurrentActor } from './current-actor.decorator';
import { IdentityService } from './identity.service';
import { Can } from './public.decorator';

export class UpdateStaffDto {
  @ApiProperty({ description: 'false disables the account: its sign-ins end and its sockets are disconnected' })
  @IsBoolean()
  active!: boolean;
}

export class StaffListQuery {
  @ApiPropertyOptional({ enum: DEPARTMENTS })
  @IsOptional()
  @IsIn(DEPARTMENTS)
  department?: Department;
}

@ApiTags('staff')
@ApiBearerAuth()
@Controller('staff')
export class StaffController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly identity: IdentityService,
  ) {}

  /**
   * Who the desk can dispatch to: active field staff and supervisors, on duty first, each with
   * the open tickets already assigned to them.
   */
  @Get()
  @Can('staff.list')
  @ApiOkResponse({ description: 'active field staff and supervisors with their current load (open tickets assigned)' })
  async list(@Query() query: StaffListQuery): Promise<StaffLoad[]> {
    const rows = await this.dataSource.query<Array<{ id: string; name: string; role: 'field' | 'supervisor'; department: Department; on_duty: boolean; load: number; shifts: Array<{ startsAt: string; endsAt: string }> }>>(
      `SELECT s.id, s.name, s.role, s.department, s.on_duty,
              (SELECT count(*)::int FROM ticket t WHERE t.assignee_id = s.id AND t.status NOT IN ('closed', 'cancelled')) AS load,
              coalesce((SELECT json_agg(json_build_object('startsAt', r.starts_at, 'endsAt', r.ends_at) ORDER BY r.starts_at) FROM roster_shift r
                         WHERE r.staff_id = s.id AND r.ends_at > now() - interval '12 hours' AND r.starts_at < now() + interval '24 hours'), '[]') AS shifts
         FROM staff s
        WHERE s.active AND s.role IN ('field', 'supervisor') AND s.department IS NOT NULL
          AND ($1::text IS NULL OR s.department = $1)
        ORDER BY s.on_duty DESC, s.department, load, s.name`,
      [query.department ?? null],
    );
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      role: row.role,
      department: row.department,
      onDuty: row.on_duty,
      load: row.load,
      shifts: row.shifts.map((shift) => ({ startsAt: new Date(shift.startsAt).toISOString(), endsAt: new Date(shift.endsAt).toISOString() })),
    }));
  }

  @Patch(':id')
  @Can('staff.manage')
  @ApiOkResponse({ description: 'the staff member after the change' })
  async update(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: UpdateStaffDto, @CurrentActor() actor: Actor): Promise<Actor & { active: boolean }> {
    const staff = await this.identity.setActive(id, body.active, actor);
    if (!staff) throw new NotFoundException(`No staff member ${id}`);
    return staff;
  }
}
