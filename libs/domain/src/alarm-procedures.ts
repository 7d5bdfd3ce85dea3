import type { AlarmKind } from './alarms';

/**
 * Procedures (SOP) per alarm kind, as an alarm-receiving centre keeps them: ordered steps the
 * desk and the guard tick (who, when, note); an alarm is not cleared while a required step is
 * open. A `question` step records an answer (the owner's consent to entry, seed 001); a
 * `check` step is done or not. These are the defaults an estate starts with; an admin edits
 * them (stored per estate), and each alarm keeps the procedure it was opened under.
 */
export const PROCEDURE_STEP_KINDS = ['check', 'question'] as const;
export type ProcedureStepKind = (typeof PROCEDURE_STEP_KINDS)[number];

export const STEP_ANSWERS = ['yes', 'no'] as const;
export type StepAnswer = (typeof STEP_ANSWERS)[number];

/** A step's key: lower-case words joined by underscores (what the api and the log name it by). */
export const STEP_KEY_PATTERN = /^[a-z][a-z0-9_]{1,39}$/;
export const MAX_PROCEDURE_STEPS = 12;

export interface ProcedureStep {
  key: string;
  zh: string;
  en: string;
  kind: ProcedureStepKind;
  required: boolean;
}

export interface AlarmProcedure {
  steps: ProcedureStep[];
  /** A restore before anyone acknowledged the alarm completes it as `restored` (nuisance alarms). */
  restoreCompletes: boolean;
}

/** A step as it stands on one alarm: the procedure's step and, once ticked, who did it when. */
export interface ProcedureStepView extends ProcedureStep {
  done: { at: string; by: { id: string; name: string }; answer: StepAnswer | null; note: string | null } | null;
}

export interface ProcedureView {
  steps: ProcedureStepView[];
  restoreCompletes: boolean;
}

const check = (key: string, zh: string, en: string, required = true): ProcedureStep => ({ key, zh, en, kind: 'check', required });
const question = (key: string, zh: string, en: string, required = false): ProcedureStep => ({ key, zh, en, kind: 'question', required });

export const DEFAULT_ALARM_PROCEDURES: Readonly<Record<AlarmKind, AlarmProcedure>> = {
  // Seed 001: the infrared detector in an empty flat during a storm.
  intrusion: {
    restoreCompletes: true,
    steps: [
      check('cameras', '查看监控录像', 'Look at the cameras'),
      check('call_owner', '致电业主', 'Call the owner'),
      question('entry_consent', '业主同意入户查看？', 'Owner consents to entry?'),
      check('guard_dispatched', '派保安到场', 'Send a guard', false),
      check('guard_on_scene', '保安到场确认', 'Guard on scene', false),
    ],
  },
  door_forced: {
    restoreCompletes: true,
    steps: [check('cameras', '查看监控录像', 'Look at the cameras'), check('guard_on_scene', '保安到场确认', 'Guard on scene'), check('call_owner', '致电业主', 'Call the owner', false)],
  },
  panic: {
    restoreCompletes: false,
    steps: [
      check('call_owner', '致电业主确认安全', 'Call the owner: are they safe?'),
      check('guard_on_scene', '保安到场确认', 'Guard on scene'),
      question('police_called', '已报警（110）？', 'Police called (110)?'),
    ],
  },
  smoke_fire: {
    restoreCompletes: false,
    steps: [
      check('cameras', '查看监控录像', 'Look at the cameras'),
      check('guard_on_scene', '保安到场确认火情', 'Guard on scene confirms'),
      question('fire_brigade_called', '已报火警（119）？', 'Fire brigade called (119)?', true),
      check('evacuation', '组织疏散', 'Evacuate', false),
    ],
  },
  water_leak: {
    restoreCompletes: false,
    steps: [
      check('call_owner', '致电业主', 'Call the owner'),
      check('valve_closed', '关闭总阀', 'Shut the main valve', false),
      check('engineer_on_scene', '工程人员到场', 'Engineer on scene'),
    ],
  },
  lift_entrapment: {
    restoreCompletes: false,
    steps: [
      check('intercom', '对讲安抚被困人员', 'Talk to those trapped (intercom)'),
      check('lift_company_called', '通知电梯维保单位', 'Call the lift maintenance company'),
      check('rescue_on_scene', '救援人员到场', 'Rescue on scene'),
    ],
  },
  fault: {
    restoreCompletes: true,
    steps: [check('device_checked', '检查设备', 'Check the device')],
  },
};

/** The view of a procedure no step of which is done yet (a new alarm). */
export function freshProcedure(procedure: AlarmProcedure): ProcedureView {
  return { restoreCompletes: procedure.restoreCompletes, steps: procedure.steps.map((step) => ({ ...step, done: null })) };
}

/** The required steps still open, in order: what blocks clearing the alarm. */
export function openRequiredSteps(procedure: Pick<ProcedureView, 'steps'> | null | undefined): string[] {
  return (procedure?.steps ?? []).filter((step) => step.required && !step.done).map((step) => step.key);
}

/**
 * Whether a procedure is well-formed (an admin's edit): 1 to 12 steps, keys unique and of the
 * pattern, labels present. Returns the first problem as `{ field, reason }`, or null.
 */
export function procedureProblem(procedure: AlarmProcedure): { field: string; reason: string } | null {
  if (procedure.steps.length === 0 || procedure.steps.length > MAX_PROCEDURE_STEPS) {
    return { field: 'steps', reason: `a procedure has 1 to ${MAX_PROCEDURE_STEPS} steps` };
  }
  const seen = new Set<string>();
  for (const [index, step] of procedure.steps.entries()) {
    if (!STEP_KEY_PATTERN.test(step.key)) return { field: `steps.${index}.key`, reason: 'lower-case letters, digits and _, 2 to 40, starting with a letter' };
    if (seen.has(step.key)) return { field: `steps.${index}.key`, reason: `${step.key} appears twice` };
    seen.add(step.key);
  }
  return null;
}

/**
 * Pickup (first acknowledgement) against the alarm-receiving centre's targets: 80 % of alarms
 * within 30 s and 98.5 % within 60 s (EN 50518 practice).
 */
export const PICKUP_TARGETS = [
  { withinSeconds: 30, share: 0.8 },
  { withinSeconds: 60, share: 0.985 },
] as const;

export interface PickupFigures {
  /** Alarms acknowledged in the period (the denominator). */
  count: number;
  /** Median pickup, seconds (null without any). */
  medianSeconds: number | null;
  targets: Array<{ withinSeconds: number; share: number; met: number; rate: number | null; onTarget: boolean | null }>;
}

/** Figures over pickup times in seconds (acknowledged − received). */
export function pickupFigures(pickupSeconds: readonly number[]): PickupFigures {
  const sorted = [...pickupSeconds].sort((a, b) => a - b);
  const count = sorted.length;
  const median = count === 0 ? null : count % 2 ? sorted[(count - 1) / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
  return {
    count,
    medianSeconds: median,
    targets: PICKUP_TARGETS.map(({ withinSeconds, share }) => {
      const met = sorted.filter((seconds) => seconds <= withinSeconds).length;
      const rate = count === 0 ? null : met / count;
      return { withinSeconds, share, met, rate, onTarget: rate === null ? null : rate >= share };
    }),
  };
}
