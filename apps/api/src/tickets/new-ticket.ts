import type { EntityManager } from 'typeorm';
import { TicketEntity } from './ticket.entity';

type Required = Pick<
  TicketEntity,
  | 'number'
  | 'estateId'
  | 'kind'
  | 'category'
  | 'channel'
  | 'priority'
  | 'department'
  | 'unitId'
  | 'areaId'
  | 'locationCode'
  | 'locationLabel'
  | 'description'
  | 'receivedAt'
>;

/** A ticket as received (受理): the given fields, and every step-of-the-loop field at its start. */
export function newTicket(db: EntityManager, fields: Required & Partial<TicketEntity>): TicketEntity {
  return db.create(TicketEntity, {
    status: 'received',
    version: 1,
    reporterName: null,
    reporterPhone: null,
    repair: null,
    idempotencyKey: null,
    createdBy: null,
    assigneeId: null,
    resumeStatus: null,
    agreedAt: null,
    repeatOf: null,
    closedAt: null,
    intakeStartedAt: null,
    firstDispatchedAt: null,
    firstCompletedAt: null,
    firstCallbackAt: null,
    callbackReached: null,
    callbackSatisfaction: null,
    reopenCount: 0,
    alsoDepartments: [],
    sourceAlarmId: null,
    updatedAt: fields.receivedAt,
    ...fields,
  });
}
