import { describe, expect, it } from 'vitest';
import { type AlarmView, alarmSounds } from './alarms';

const alarm = (overrides: Partial<AlarmView> = {}): AlarmView => ({
  deviceId: 'ir-3-201',
  alarmKind: 'intrusion',
  severity: 2,
  departments: ['security'],
  count: 1,
  firstSeenAt: '2026-11-23T01:00:00.000Z',
  lastSeenAt: '2026-11-23T01:00:00.000Z',
  occurredAt: null,
  outcome: null,
  outcomeReason: null,
  acknowledgedAt: null,
  mutedUntil: null,
  restoredAt: null,
  procedure: null,
  ...overrides,
});
const now = Date.parse('2026-11-23T01:05:00.000Z');

describe('alarmSounds: when the wallboard rings', () => {
  it('rings for a new alarm nobody acknowledged', () => {
    expect(alarmSounds({ kind: 'alarm', status: 'received', alarm: alarm() }, now)).toBe(true);
  });
  it('stops once acknowledged, or once the alarm has moved on (dispatched, cleared)', () => {
    expect(alarmSounds({ kind: 'alarm', status: 'received', alarm: alarm({ acknowledgedAt: '2026-11-23T01:01:00.000Z' }) }, now)).toBe(false);
    expect(alarmSounds({ kind: 'alarm', status: 'dispatched', alarm: alarm() }, now)).toBe(false);
    expect(alarmSounds({ kind: 'alarm', status: 'done', alarm: alarm() }, now)).toBe(false);
  });
  it('is silent while muted and rings again when the mute runs out, by server time', () => {
    const muted = { kind: 'alarm', status: 'received', alarm: alarm({ mutedUntil: '2026-11-23T01:15:00.000Z' }) };
    expect(alarmSounds(muted, now)).toBe(false);
    expect(alarmSounds(muted, Date.parse('2026-11-23T01:14:59.999Z'))).toBe(false);
    expect(alarmSounds(muted, Date.parse('2026-11-23T01:15:00.000Z'))).toBe(true);
  });
  it('never rings for a repair', () => {
    expect(alarmSounds({ kind: 'repair', status: 'received', alarm: null }, now)).toBe(false);
  });
});
