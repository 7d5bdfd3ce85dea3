import { Module } from '@nestjs/common';
import { ArchiveController } from './archive.controller';
import { ArchiveSheetService } from './archive-sheet.service';
import { ArchiveService } from './archive.service';

/** 业主档案: the owner archive. */
@Module({
  controllers: [ArchiveController],
  providers: [ArchiveService, ArchiveSheetService],
  exports: [ArchiveService],
})
export class ArchiveModule {}
