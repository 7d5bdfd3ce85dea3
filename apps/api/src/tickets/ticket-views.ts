import type { AlarmView, DocumentKind, TicketView } from '@dispatch/domain';
import { AlarmEntity } from '../alarms/alarm.entity';
import { type EntityManager, In } from 'typeorm';
import { StaffEntity } from '../estate/estate.entity';
import { TicketClockEntity, TicketDocumentEntity, TicketEntity } from './ticket.entity';
import { toTicketView } from './ticket.mapper';

type Results<T extends readonly unknown[]> = { -readonly [K in keyof T]: T[K] extends () => Promise<infer R> ? R : never };

/**
 * Runs the reads in parallel on the pool, or one after another inside a transaction: a
 * transaction is one connection, and pg refuses (warns, then breaks in pg 9) concurrent
 * queries on one client.
 */
async function allOn<T extends ReadonlyArray<() => Promise<unknown>>>(db: EntityManager, reads: T): Promise<Results<T>> {
  if (!db.queryRunner) return (await Promise.all(reads.map((read) => read()))) as Results<T>;
  const results: unknown[] = [];
  for (const read of reads) results.push(await read());
  return results as Results<T>;
}

/** Parts of one ticket's view its caller holds already, not read again. */
interface KnownParts {
  documents?: DocumentKind[];
  alarm?: AlarmView;
}

/** Builds views for a batch of tickets with one query per related table, not one per ticket. */
export async function loadTicketViews(db: EntityManager, tickets: TicketEntity[]): Promise<TicketView[]> {
  return buildViews(db, tickets, {});
}

async function buildViews(db: EntityManager, tickets: TicketEntity[], known: KnownParts): Promise<TicketView[]> {
  if (tickets.length === 0) return [];
  const ids = tickets.map((ticket) => ticket.id);
  const staffIds = [...new Set(tickets.map((ticket) => ticket.assigneeId).filter((id): id is string => id !== null))];
  const repeatIds = [...new Set(tickets.map((ticket) => ticket.repeatOf).filter((id): id is string => id !== null))];
  const alarmIds = known.alarm ? [] : tickets.filter((ticket) => ticket.kind === 'alarm').map((ticket) => ticket.id);
  const [clocks, documents, staff, earlier, alarms] = await allOn(db, [
    () => db.find(TicketClockEntity, { where: { ticketId: In(ids) }, order: { startedAt: 'ASC', clock: 'ASC', round: 'ASC' } }),
    async () => (known.documents ? [] : db.find(TicketDocumentEntity, { where: { ticketId: In(ids) }, select: { ticketId: true, kind: true }, order: { createdAt: 'ASC' } })),
    async () => (staffIds.length ? db.find(StaffEntity, { where: { id: In(staffIds) }, select: { id: true, name: true } }) : []),
    async () => (repeatIds.length ? db.find(TicketEntity, { where: { id: In(repeatIds) }, select: { id: true, number: true, status: true } }) : []),
    async () => (alarmIds.length ? db.find(AlarmEntity, { where: { ticketId: In(alarmIds) } }) : []),
  ] as const);
  const alarmOf = new Map(alarms.map((alarm) => [alarm.ticketId, toAlarmView(alarm)]));
  const group = <T extends { ticketId: string }>(rows: T[]) => {
    const byTicket = new Map<string, T[]>();
    for (const row of rows) byTicket.set(row.ticketId, [...(byTicket.get(row.ticketId) ?? []), row]);
    return byTicket;
  };
  const clocksOf = group(clocks);
  const documentsOf = group(documents);
  const staffById = new Map(staff.map((person) => [person.id, person]));
  const earlierById = new Map(earlier.map((ticket) => [ticket.id, ticket]));
  return tickets.map((ticket) => {
    const assignee = ticket.assigneeId ? staffById.get(ticket.assigneeId) : undefined;
    const repeat = ticket.repeatOf ? earlierById.get(ticket.repeatOf) : undefined;
    return toTicketView(ticket, clocksOf.get(ticket.id) ?? [], {
      assignee: assignee ? { id: assignee.id, name: assignee.name } : null,
      repeatOf: repeat ? { id: repeat.id, number: repeat.number, status: repeat.status } : null,
      documents: known.documents ?? [...new Set((documentsOf.get(ticket.id) ?? []).map((document) => document.kind as DocumentKind))],
      alarm: known.alarm ?? alarmOf.get(ticket.id) ?? null,
    });
  });
}

/**
 * One ticket's view. `known`: parts the caller holds already (a ticket just opened has no
 * documents; an alarm just written is its row), which are then not read again.
 */
export async function loadTicketView(db: EntityManager, ticket: TicketEntity, known: KnownParts = {}): Promise<TicketView> {
  const [view] = await buildViews(db, [ticket], known);
  return view;
}

export function toAlarmView(alarm: AlarmEntity): AlarmView {
  return {
    deviceId: alarm.deviceId,
    alarmKind: alarm.alarmKind,
    severity: alarm.severity,
    departments: alarm.departments,
    count: alarm.count,
    firstSeenAt: alarm.firstSeenAt.toISOString(),
    lastSeenAt: alarm.lastSeenAt.toISOString(),
    occurredAt: alarm.occurredAt?.toISOString() ?? null,
    outcome: alarm.outcome,
    outcomeReason: alarm.outcomeReason,
    acknowledgedAt: alarm.acknowledgedAt?.toISOString() ?? null,
    mutedUntil: alarm.mutedUntil?.toISOString() ?? null,
    restoredAt: alarm.restoredAt?.toISOString() ?? null,
    procedure: alarm.procedure,
  };
}
