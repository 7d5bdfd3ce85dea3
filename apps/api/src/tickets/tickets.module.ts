import { Module } from '@nestjs/common';
import { ArchiveModule } from '../archive/archive.module';
import { TicketActionsService } from './ticket-actions.service';
import { TicketsController } from './tickets.controller';
import { TicketsService } from './tickets.service';

@Module({
  imports: [ArchiveModule],
  controllers: [TicketsController],
  providers: [TicketsService, TicketActionsService],
  exports: [TicketsService, TicketActionsService],
})
export class TicketsModule {}
