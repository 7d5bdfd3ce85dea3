import { AlarmAccountEntity, AlarmCodeEntity, AlarmDeliveryEntity, AlarmEntity, AlarmProcedureEntity, AlarmZoneEntity, DeviceEntity } from '../alarms/alarm.entity';
import { ResidentEntity } from '../archive/resident.entity';
import { HandoverEntity } from '../shift/handover.entity';
import { EstateEntity, PublicAreaEntity, StaffEntity, UnitEntity } from '../estate/estate.entity';
import { EventLogEntity } from '../events/event-log.entity';
import { SlaPolicyEntity } from '../sla/sla-policy.entity';
import { TicketClockEntity, TicketDocumentEntity, TicketEntity } from '../tickets/ticket.entity';

export const ENTITIES = [
  EstateEntity,
  UnitEntity,
  PublicAreaEntity,
  StaffEntity,
  TicketEntity,
  TicketClockEntity,
  TicketDocumentEntity,
  EventLogEntity,
  SlaPolicyEntity,
  DeviceEntity,
  AlarmAccountEntity,
  AlarmZoneEntity,
  AlarmEntity,
  AlarmProcedureEntity,
  AlarmCodeEntity,
  AlarmDeliveryEntity,
  ResidentEntity,
  HandoverEntity,
];
