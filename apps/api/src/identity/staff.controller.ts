import { Body, Controller, NotFoundException, Param, ParseUUIDPipe, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Actor } from '@dispatch/domain';
import { IsBoolean } from 'class-validator';
import { DataSource } from 'typeorm';
import { StaffEntity } from '../estate/estate.entity';
import { IdentityService, toActor } from './identity.service';
import { Roles } from './public.decorator';
import { SessionEvents } from './session-events';

export class UpdateStaffDto {
  @ApiProperty({ description: 'false disables the account: its sign-ins end and its sockets are disconnected' })
  @IsBoolean()
  active!: boolean;
}

@ApiTags('staff')
@ApiBearerAuth()
@Controller('staff')
export class StaffController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly identity: IdentityService,
    private readonly sessions: SessionEvents,
  ) {}

  @Patch(':id')
  @Roles('admin')
  @ApiOkResponse({ description: 'the staff member after the change' })
  async update(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: UpdateStaffDto): Promise<Actor & { active: boolean }> {
    const staff = await this.dataSource.getRepository(StaffEntity).findOne({ where: { id } });
    if (!staff) throw new NotFoundException(`No staff member ${id}`);
    staff.active = body.active;
    await this.dataSource.getRepository(StaffEntity).save(staff);
    if (!body.active) {
      await this.identity.revokeAll(id, 'account disabled');
      this.sessions.ended({ staffId: id });
    }
    return { ...toActor(staff), active: staff.active };
  }
}
