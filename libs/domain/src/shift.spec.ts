import { describe, expect, it } from 'vitest';
import { onRosterAt, rosterProblem } from './shift';

describe('rosters', () => {
  it('takes day and night shifts, one person\'s not overlapping', () => {
    expect(rosterProblem([{ staffId: 'a', start: '08:00', end: '20:00' }, { staffId: 'b', start: '20:00', end: '08:00' }])).toBeNull();
    expect(rosterProblem([{ staffId: 'a', start: '08:00', end: '12:00' }, { staffId: 'a', start: '13:00', end: '17:00' }])).toBeNull();
  });
  it('names what is wrong: a time, a shift of no length, an overlap, too many', () => {
    expect(rosterProblem([{ staffId: 'a', start: '8:00', end: '20:00' }])).toEqual({ index: 0, field: 'start', reason: 'must be a time like 08:00' });
    expect(rosterProblem([{ staffId: 'a', start: '08:00', end: '24:00' }])).toEqual({ index: 0, field: 'end', reason: 'must be a time like 20:00' });
    // The same time twice is a 24-hour shift (24小时值班), which a second shift that day overlaps.
    expect(rosterProblem([{ staffId: 'a', start: '08:00', end: '08:00' }])).toBeNull();
    expect(rosterProblem([{ staffId: 'a', start: '08:00', end: '08:00' }, { staffId: 'a', start: '20:00', end: '22:00' }])?.reason).toBe("overlaps the same person's shift 1");
    expect(rosterProblem([{ staffId: 'a', start: '08:00', end: '20:00' }, { staffId: 'a', start: '19:00', end: '07:00' }])).toEqual({ index: 1, field: 'start', reason: "overlaps the same person's shift 1" });
    const four = ['00:00-04:00', '05:00-09:00', '10:00-14:00', '15:00-19:00'].map((span) => ({ staffId: 'a', start: span.slice(0, 5), end: span.slice(6) }));
    expect(rosterProblem(four)).toEqual({ index: 3, field: 'staffId', reason: 'at most 3 shifts a day for one person' });
  });
  it('says who is on the roster at a moment', () => {
    const night = [{ startsAt: '2026-11-24T12:00:00Z', endsAt: '2026-11-25T00:00:00Z' }];
    expect(onRosterAt(night, Date.parse('2026-11-24T23:59:00Z'))).toBe(true);
    expect(onRosterAt(night, Date.parse('2026-11-25T00:00:00Z'))).toBe(false);
  });
});
