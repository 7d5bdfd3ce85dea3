import { Module } from '@nestjs/common';
import { KeptDays } from './kept-days.service';
import { ReportKeeper } from './report-keeper';
import { ReportWorkers } from './report-workers';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

/** Management reports (考核, 每周热点投诉, 半月未完成). */
@Module({
  controllers: [ReportsController],
  providers: [ReportsService, ReportKeeper, ReportWorkers, KeptDays],
  exports: [ReportKeeper],
})
export class ReportsModule {}
