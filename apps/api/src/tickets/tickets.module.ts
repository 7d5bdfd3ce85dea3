import { Module } from '@nestjs/common';
import { TicketActionsService } from './ticket-actions.service';
import { TicketsController } from './tickets.controller';
import { TicketsService } from './tickets.service';

@Module({
  controllers: [TicketsController],
  providers: [TicketsService, TicketActionsService],
  exports: [TicketsService, TicketActionsService],
})
export class TicketsModule {}
