import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR } from './business-time';
import { previewClocks } from './sla-lifecycle';
import { DEFAULT_SLA_POLICIES } from './sla-policy';

const at = new Date('2026-11-24T10:00:00+08:00');
const minutes = (seconds: number) => seconds / 60;
const table = (previews: ReturnType<typeof previewClocks>) => Object.fromEntries(previews.map((preview) => [preview.clock, minutes(preview.durationSeconds)]));

describe('the deadlines the desk sees before it logs', () => {
  it.each([
    ['an in-unit repair under warranty', { kind: 'repair', department: 'engineering', priority: 'normal', repair: { inUnit: true, inWarranty: true } }, { dispatch: 1, contact: 15, arrival: 5, report_on_site: 5, callback: 120 }],
    ['the same out of warranty', { kind: 'repair', department: 'engineering', priority: 'normal', repair: { inUnit: true, inWarranty: false } }, { dispatch: 1, contact: 15, arrival: 30, report_on_site: 5, callback: 120 }],
    ['the same, urgent', { kind: 'repair', department: 'engineering', priority: 'urgent', repair: { inUnit: true, inWarranty: false } }, { dispatch: 1, contact: 5, arrival: 5, report_on_site: 5, callback: 30 }],
    ['help from security', { kind: 'help', department: 'security', priority: 'normal', repair: null }, { dispatch: 1, contact: 15, arrival: 5, report_on_site: 5, callback: 60 }],
    ['an inquiry, answered at the desk', { kind: 'inquiry', department: 'customer_service', priority: 'normal', repair: null }, { contact: 15, reply: 60 }],
    ['a complaint, one week to resolve', { kind: 'complaint', department: 'customer_service', priority: 'normal', repair: null }, { dispatch: 1, contact: 15, arrival: 30, report_on_site: 5, callback: 120, resolve: 7 * 24 * 60 }],
  ] as const)('%s', (_name, ticket, expected) => {
    expect(table(previewClocks(DEFAULT_SLA_POLICIES, ticket, at, DEFAULT_CALENDAR))).toEqual(expected);
  });

  it('gives due times for the clocks that start at intake only, on the clock\'s own time', () => {
    const previews = previewClocks(DEFAULT_SLA_POLICIES, { kind: 'inquiry', department: 'customer_service', priority: 'normal', repair: null }, new Date('2026-11-24T19:30:00+08:00'), DEFAULT_CALENDAR);
    // The reply runs in business hours: half an hour tonight, half an hour from 08:00 tomorrow.
    expect(previews.find((preview) => preview.clock === 'reply')).toMatchObject({ businessHours: true, dueAt: new Date('2026-11-25T08:30:00+08:00').toISOString() });
    const repair = previewClocks(DEFAULT_SLA_POLICIES, { kind: 'repair', department: 'engineering', priority: 'normal', repair: { inUnit: true, inWarranty: true } }, at, DEFAULT_CALENDAR);
    expect(repair.find((preview) => preview.clock === 'dispatch')?.dueAt).toBe(new Date('2026-11-24T10:01:00+08:00').toISOString());
    expect(repair.find((preview) => preview.clock === 'arrival')?.dueAt).toBeNull();
  });
});
