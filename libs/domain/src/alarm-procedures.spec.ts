import { describe, expect, it } from 'vitest';
import { DEFAULT_ALARM_PROCEDURES, freshProcedure, openRequiredSteps, pickupFigures, procedureProblem } from './alarm-procedures';
import { ALARM_KINDS } from './alarms';

describe('the default procedures', () => {
  it.each(ALARM_KINDS)('%s is well formed, with at least one required step', (kind) => {
    const procedure = DEFAULT_ALARM_PROCEDURES[kind];
    expect(procedureProblem(procedure)).toBeNull();
    expect(procedure.steps.some((step) => step.required)).toBe(true);
  });
  it('seed 001: an intrusion asks the owner\'s consent to entry and looks at the cameras first', () => {
    const steps = DEFAULT_ALARM_PROCEDURES.intrusion.steps;
    expect(steps[0].key).toBe('cameras');
    expect(steps.find((step) => step.key === 'entry_consent')).toMatchObject({ kind: 'question' });
  });
  it('a restore never ends a threat to life (fire, panic, entrapment)', () => {
    expect([DEFAULT_ALARM_PROCEDURES.smoke_fire, DEFAULT_ALARM_PROCEDURES.panic, DEFAULT_ALARM_PROCEDURES.lift_entrapment].map((p) => p.restoreCompletes)).toEqual([false, false, false]);
  });
  it('a fresh procedure has every required step open, in order', () => {
    expect(openRequiredSteps(freshProcedure(DEFAULT_ALARM_PROCEDURES.intrusion))).toEqual(['cameras', 'call_owner']);
    expect(openRequiredSteps(null)).toEqual([]);
  });
});

describe('an admin\'s procedure', () => {
  const step = { key: 'cameras', zh: '看监控', en: 'Cameras', kind: 'check' as const, required: true };
  it.each([
    [{ steps: [], restoreCompletes: false }, 'steps'],
    [{ steps: Array.from({ length: 13 }, (_, i) => ({ ...step, key: `step_${i}` })), restoreCompletes: false }, 'steps'],
    [{ steps: [step, step], restoreCompletes: false }, 'steps.1.key'],
    [{ steps: [{ ...step, key: 'Look At' }], restoreCompletes: false }, 'steps.0.key'],
  ])('is refused naming the field: %#', (procedure, field) => {
    expect(procedureProblem(procedure)).toMatchObject({ field });
  });
});

describe('pickup against the targets (80 % in 30 s, 98.5 % in 60 s)', () => {
  it('counts by hand: 10 alarms, 8 within 30 s, 9 within 60 s', () => {
    const figures = pickupFigures([5, 12, 30, 8, 29, 1, 20, 25, 45, 300]);
    expect(figures.count).toBe(10);
    expect(figures.medianSeconds).toBe(22.5);
    expect(figures.targets).toEqual([
      { withinSeconds: 30, share: 0.8, met: 8, rate: 0.8, onTarget: true },
      { withinSeconds: 60, share: 0.985, met: 9, rate: 0.9, onTarget: false },
    ]);
  });
  it('has no rate without alarms', () => {
    expect(pickupFigures([]).targets[0]).toMatchObject({ met: 0, rate: null, onTarget: null });
    expect(pickupFigures([]).medianSeconds).toBeNull();
  });
});
