import { Body, Controller, Get, HttpCode, Param, ParseBoolPipe, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Actor, OwnerCard, ResidentView } from '@dispatch/domain';
import { CurrentActor } from '../identity/current-actor.decorator';
import { Can } from '../identity/public.decorator';
import { ArchiveService } from './archive.service';
import { MoveOutDto, ResidentDto, ResidentEditDto, ResidentSearchQuery, RevealReasonDto } from './dto/resident.dto';

const uuid = new ParseUUIDPipe();

/** 业主档案: residents per unit, masked on every answer but a logged reveal. */
@ApiTags('archive')
@ApiBearerAuth()
@Controller()
export class ArchiveController {
  constructor(private readonly archive: ArchiveService) {}

  @Get('units/:code/residents')
  @Can('archive.read')
  @ApiQuery({ name: 'movedOut', required: false, type: Boolean })
  @ApiOkResponse({ description: 'the unit\'s residents, masked; with movedOut=true also those who left' })
  list(@Param('code') code: string, @Query('movedOut', new ParseBoolPipe({ optional: true })) movedOut?: boolean): Promise<ResidentView[]> {
    return this.archive.list(code, movedOut ?? false);
  }

  @Post('units/:code/residents')
  @Can('archive.edit')
  @ApiCreatedResponse({ description: 'the new record, masked; logged as resident.created with the fields set' })
  create(@Param('code') code: string, @Body() body: ResidentDto, @CurrentActor() actor: Actor): Promise<ResidentView> {
    return this.archive.create(code, body, actor);
  }

  @Get('units/:code/card')
  @Can('archive.read')
  @ApiOkResponse({ description: 'the unit\'s owner card: its people (masked) and its open tickets with promises' })
  card(@Param('code') code: string): Promise<OwnerCard> {
    return this.archive.cardOf(code);
  }

  @Get('residents/search')
  @Can('archive.read')
  @ApiOkResponse({ description: 'current residents with exactly this phone or plate (a caller recognised), masked' })
  search(@Query() query: ResidentSearchQuery): Promise<ResidentView[]> {
    return this.archive.search(query);
  }

  @Patch('residents/:id')
  @Can('archive.edit')
  @ApiOkResponse({ description: 'the record after the edit, masked; 409 on a stale version; logged with the fields changed' })
  edit(@Param('id', uuid) id: string, @Body() body: ResidentEditDto, @CurrentActor() actor: Actor): Promise<ResidentView> {
    return this.archive.edit(id, body, actor);
  }

  @Post('residents/:id/move-out')
  @Can('archive.edit')
  @HttpCode(200)
  moveOut(@Param('id', uuid) id: string, @Body() body: MoveOutDto, @CurrentActor() actor: Actor): Promise<ResidentView> {
    return this.archive.moveOut(id, body.reason, actor);
  }

  @Post('residents/:id/verify')
  @Can('archive.edit')
  @HttpCode(200)
  verify(@Param('id', uuid) id: string, @CurrentActor() actor: Actor): Promise<ResidentView> {
    return this.archive.verify(id, actor);
  }

  @Post('residents/:id/reveal')
  @Can('archive.reveal')
  @HttpCode(200)
  @ApiOkResponse({ description: 'the record in full; logged as resident.revealed with the reason and who' })
  reveal(@Param('id', uuid) id: string, @Body() body: RevealReasonDto, @CurrentActor() actor: Actor): Promise<ResidentView> {
    return this.archive.reveal(id, body.reason, actor);
  }
}
