import { Body, Controller, Get, HttpCode, Param, ParseBoolPipe, ParseUUIDPipe, Patch, Post, Query, Req, StreamableFile, UnsupportedMediaTypeException } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Actor, ArchiveImportReport, OwnerCard, ResidentView } from '@dispatch/domain';
import type { Request } from 'express';
import { CurrentActor } from '../identity/current-actor.decorator';
import { Can } from '../identity/public.decorator';
import { ArchiveSheetService } from './archive-sheet.service';
import { ArchiveService } from './archive.service';
import { ArchiveAccuracyQuery, ArchiveExportDto, ArchiveImportQuery, MoveOutDto, ResidentDto, ResidentEditDto, ResidentSearchQuery, RevealReasonDto } from './dto/resident.dto';
import { SHEET_MIME, SHEET_UPLOAD_TYPES } from '../common/sheet-file';

const uuid = new ParseUUIDPipe();

/** 业主档案: residents per unit, masked on every answer but a logged reveal. */
@ApiTags('archive')
@ApiBearerAuth()
@Controller()
export class ArchiveController {
  constructor(
    private readonly archive: ArchiveService,
    private readonly sheets: ArchiveSheetService,
  ) {}

  @Post('archive/import')
  @Can('archive.import')
  @HttpCode(200)
  @ApiConsumes(...SHEET_UPLOAD_TYPES)
  @ApiBody({ description: 'the spreadsheet itself (CSV, UTF-8 or GB18030, or XLSX): a header row, then one resident per row', schema: { type: 'string', format: 'binary' } })
  @ApiOkResponse({ description: 'what was imported (or, dry, would be): created, updated, unchanged, and each refused row with its line, column and reason' })
  async import(@Req() req: Request, @Query() query: ArchiveImportQuery, @CurrentActor() actor: Actor): Promise<ArchiveImportReport> {
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw new UnsupportedMediaTypeException(`Send the spreadsheet itself as the body, with Content-Type ${SHEET_UPLOAD_TYPES.join(' or ')}`);
    return this.sheets.import(req.body, query.dryRun === 'true', actor);
  }

  @Post('archive/export')
  @Can('archive.export')
  @HttpCode(200)
  @ApiProduces(SHEET_MIME.csv, SHEET_MIME.xlsx)
  @ApiOkResponse({ description: 'every current record in full as CSV or XLSX (the header in the chosen language); logged as archive.exported with the reason' })
  async export(@Body() body: ArchiveExportDto, @CurrentActor() actor: Actor): Promise<StreamableFile> {
    const { file } = await this.sheets.export(body.format, body.locale ?? 'zh', body.reason, actor);
    const name = `${body.locale === 'en' ? 'residents' : '业主档案'}-${new Date().toISOString().slice(0, 10)}.${body.format}`;
    return new StreamableFile(file, { type: SHEET_MIME[body.format], disposition: `attachment; filename="residents.${body.format}"; filename*=UTF-8''${encodeURIComponent(name)}` });
  }

  @Get('archive/accuracy')
  @Can('archive.read')
  @ApiOkResponse({ description: '档案信息准确率: current records verified within `months`, over all current records (rate null when there are none)' })
  accuracy(@Query() query: ArchiveAccuracyQuery): Promise<{ months: number; verified: number; current: number; rate: number | null }> {
    return this.sheets.accuracy(query.months ?? 6);
  }

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
