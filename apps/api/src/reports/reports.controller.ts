import { Controller, Get, Param, ParseUUIDPipe, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { TICKET_LIST_MAX } from '@dispatch/domain';
import type { Actor, HotComplaintsReport, KpiReport, StoredReport, StoredReportSummary, TicketListReport, UnfinishedReport } from '@dispatch/domain';
import type { Response } from 'express';
import { SHEET_MIME, writeSheet } from '../common/sheet-file';
import { CurrentActor } from '../identity/current-actor.decorator';
import { Can } from '../identity/public.decorator';
import { EstateService } from '../estate/estate.service';
import { KpiQuery, PeriodDayQuery, type ReportFormatQuery, TicketListQuery } from './dto/reports.dto';
import { kpiSheet, type Sheet, ticketListSheet, unfinishedSheet, weeklySheet } from './report-sheets';
import { ReportKeeper } from './report-keeper';
import { ReportsService } from './reports.service';

/** Management reports: JSON for the screen, CSV or XLSX for the meeting (format=csv|xlsx). */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly kept: ReportKeeper,
    private readonly estates: EstateService,
  ) {}

  @Get('stored')
  @Can('report.kept')
  @ApiOkResponse({ description: 'the reports kept at each closed week and half-month, newest first (report.ready announced each)' })
  stored(): Promise<StoredReportSummary[]> {
    return this.kept.list();
  }

  @Get('stored/:id')
  @Can('report.kept')
  @ApiOkResponse({ description: 'a kept report: the week\'s hot complaints and KPIs, or the half-month\'s unfinished items and KPIs, as generated' })
  storedOne(@Param('id', new ParseUUIDPipe()) id: string): Promise<StoredReport> {
    return this.kept.get(id);
  }

  @Get('kpi')
  @Can('report.read')
  @ApiProduces('application/json', SHEET_MIME.csv, SHEET_MIME.xlsx)
  @ApiOkResponse({ description: 'KPIs of a period (per estate, department or person): each rate with numerator, denominator and tickets; under 5 cases "too small"' })
  async kpi(@Query() query: KpiQuery, @CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response): Promise<KpiReport | StreamableFile> {
    const report = await this.reports.kpi(actor, query);
    return this.answer(query, res, report, (locale) => kpiSheet(report, locale), `kpi-${query.from}-${query.to}`);
  }

  @Get('weekly')
  @Can('report.read')
  @ApiProduces('application/json', SHEET_MIME.csv, SHEET_MIME.xlsx)
  @ApiOkResponse({ description: '每周热点投诉: the week (Monday 00:00, the estate\'s time) of `date`, the last full week by default' })
  async weekly(@Query() query: PeriodDayQuery, @CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response): Promise<HotComplaintsReport | StreamableFile> {
    const report = await this.reports.weekly(actor, query.date);
    return this.answer(query, res, report, (locale) => weeklySheet(report, locale), `weekly-${report.week}`);
  }

  @Get('unfinished')
  @Can('report.read')
  @ApiProduces('application/json', SHEET_MIME.csv, SHEET_MIME.xlsx)
  @ApiOkResponse({ description: '半月未完成问题: open at the end of the half-month of `date` (now while it runs), per department, public-area lights first' })
  async unfinished(@Query() query: PeriodDayQuery, @CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response): Promise<UnfinishedReport | StreamableFile> {
    const report = await this.reports.unfinished(actor, query.date);
    return this.answer(query, res, report, (locale, timeZone) => unfinishedSheet(report, locale, timeZone), `unfinished-${report.half}`);
  }

  @Get('tickets')
  @Can('report.read')
  @ApiProduces('application/json', SHEET_MIME.csv, SHEET_MIME.xlsx)
  @ApiOkResponse({
    description: `工单清单: the tickets received in a period (the estate's days, both included), as filtered by department, kind and status, newest first; at most ${TICKET_LIST_MAX} (more: 400, narrow the period)`,
  })
  async tickets(@Query() query: TicketListQuery, @CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response): Promise<TicketListReport | StreamableFile> {
    const report = await this.reports.tickets(actor, query);
    return this.answer(query, res, report, (locale, timeZone) => ticketListSheet(report, locale, timeZone), `tickets-${query.from}-${query.to}`);
  }

  /** The report as JSON, or as a file whose times are the estate's clock. */
  private async answer<T>(query: ReportFormatQuery, res: Response, report: T, sheet: (locale: 'zh' | 'en', timeZone: string) => Sheet, name: string): Promise<T | StreamableFile> {
    const format = query.format ?? 'json';
    if (format === 'json') return report;
    const { timezone } = await this.estates.current();
    const { title, header, rows } = sheet(query.locale ?? 'zh', timezone);
    const file = await writeSheet(header, rows, format, title.slice(0, 31));
    res.setHeader('content-disposition', `attachment; filename="${name}.${format}"`);
    return new StreamableFile(file, { type: SHEET_MIME[format] });
  }
}
