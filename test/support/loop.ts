import type { TicketView } from '@dispatch/domain';
import { expect } from 'vitest';
import type { Client } from './api';

export type Ticket = TicketView & { seq: number };

/** Logs a report at the desk; asserts it was created. */
export async function createAs(desk: Client, body: Record<string, unknown>): Promise<Ticket> {
  const res = await desk.post('/api/tickets').send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** One step of the loop; asserts it was taken and returns the ticket after it. */
export async function stepAs(by: Client, ticket: Pick<Ticket, 'id' | 'version'>, action: string, fields: Record<string, unknown> = {}): Promise<Ticket> {
  const res = await by.post(`/api/tickets/${ticket.id}/actions`).send({ action, version: ticket.version, ...fields });
  expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body;
}

/**
 * Ticks every required step of an alarm's procedure still open (a question answered yes),
 * as `by`: what the desk and the guard do before an alarm may be cleared.
 */
export async function doRequiredSteps(by: Client, alarm: Pick<TicketView, 'id' | 'version' | 'alarm'>): Promise<Pick<TicketView, 'id' | 'version' | 'alarm'>> {
  let current = alarm;
  for (const step of alarm.alarm?.procedure?.steps ?? []) {
    if (!step.required || step.done) continue;
    current = await stepAs(by, current, 'step', { step: step.key, ...(step.kind === 'question' ? { outcome: 'yes' } : {}) });
  }
  return current;
}
