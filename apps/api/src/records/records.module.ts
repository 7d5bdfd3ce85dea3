import { Module } from '@nestjs/common';
import { RecordsController } from './records.controller';
import { RecordsService } from './records.service';

/** The control room's own records: work logs and unit chronicles. */
@Module({
  controllers: [RecordsController],
  providers: [RecordsService],
})
export class RecordsModule {}
