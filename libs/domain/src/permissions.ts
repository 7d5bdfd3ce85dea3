import type { Role } from './roles';

/**
 * Who may do what, once. The api's guard (`@Can`), the OpenAPI document (`x-capability`,
 * `x-roles`), the console's menus and buttons, and the tests read this table; the steps of
 * the closed loop have their roles in the action table (TICKET_ACTION_TABLE), which the same
 * readers use for each action. Which tickets a capability reaches is the scope rule
 * (`canSeeTicket`), not this table.
 */
export const CAPABILITIES = [
  'ticket.create',
  'ticket.repeat_check',
  'ticket.search',
  'ticket.reveal_reporter',
  'estate.lookup',
  'estate.rules.read',
  'estate.rules.edit',
  'staff.list',
  'staff.manage',
  'sla.board',
  'sla.policy.read',
  'sla.policy.edit',
  'alarm.raise_repair',
  'device.rotate_key',
  'device.read',
  'alarm.procedures.read',
  'alarm.procedures.edit',
  'alarm.codes.read',
  'alarm.codes.edit',
  'archive.read',
  'archive.edit',
  'archive.reveal',
  'archive.import',
  'archive.export',
  'handover.read',
  'handover.write',
  'report.read',
  'report.kept',
  'roster.read',
  'roster.edit',
  'worklog.own',
  'worklog.team',
  'chronicle.read',
  'chronicle.write',
  'shift.own',
  'access.read',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** The desk: customer service and those who stand in for it. */
const DESK: readonly Role[] = ['dispatcher', 'supervisor', 'manager', 'admin'];

export const PERMISSIONS: Readonly<Record<Capability, readonly Role[]>> = {
  // 受理: log a call or visit, and see whether it repeats an earlier report.
  'ticket.create': DESK,
  'ticket.repeat_check': DESK,
  // Find any ticket, open or closed, by phone, number, unit or words (a caller asking after theirs).
  'ticket.search': DESK,
  // Calling back, greeting key owners: each reveal is logged (field staff get the phone of
  // the task assigned to them in the ticket itself).
  // Field staff only for the ticket assigned to them while it is open (拨打业主; checked on the ticket).
  'ticket.reveal_reporter': [...DESK, 'field'],
  'estate.lookup': DESK,
  // The calendar (hours, holidays, 调休) and warranty years: the desk reads, an admin edits.
  'estate.rules.read': DESK,
  'estate.rules.edit': ['admin'],
  // Dispatching to a named person needs the list with their load.
  'staff.list': DESK,
  'staff.manage': ['admin'],
  'sla.board': DESK,
  'sla.policy.read': DESK,
  'sla.policy.edit': ['admin'],
  'alarm.raise_repair': DESK,
  'device.rotate_key': ['admin'],
  // Which devices are silent (the wallboard's 设备失联) and which promise a test.
  'device.read': DESK,
  // The procedures (SOP) per alarm kind: the desk reads them, an admin edits them.
  'alarm.procedures.read': DESK,
  'alarm.procedures.edit': ['admin'],
  // What each panel event code means here (kind, severity, restore, test, nothing): an admin's table.
  'alarm.codes.read': DESK,
  'alarm.codes.edit': ['admin'],
  // 业主档案: the desk keeps the archive (masked on screen), recognises a caller by exact phone
  // or plate, and reveals a record in full with a logged reason. Field staff never read it:
  // the worker on a task gets the owner's phone through the ticket (拨打业主).
  'archive.read': DESK,
  'archive.edit': DESK,
  'archive.reveal': DESK,
  // The whole archive in or out as a spreadsheet: the people who answer for it (a supervisor,
  // the administrator); an export is every record in full, logged with its reason.
  'archive.import': ['supervisor', 'admin'],
  'archive.export': ['supervisor', 'admin'],
  // 交接班: the desk drafts, submits and signs handovers; anyone starts and ends their own shift.
  'handover.read': DESK,
  'handover.write': DESK,
  'shift.own': ['dispatcher', 'field', 'supervisor', 'manager', 'admin'],
  // Management reports (考核): supervisors for their department, the manager and the
  // administrator for the estate.
  'report.read': ['supervisor', 'manager', 'admin'],
  // The reports kept at each period's end are the estate's: the manager and the administrator.
  'report.kept': ['manager', 'admin'],
  // 排班: the desk sees who should be on; a supervisor plans their department's days, the
  // manager and the administrator any department's.
  'roster.read': DESK,
  'roster.edit': ['supervisor', 'manager', 'admin'],
  // 工作日志: everyone keeps their own day; a supervisor reads the team's (their department's
  // people; managers and the administrator everyone's).
  'worklog.own': ['dispatcher', 'field', 'supervisor', 'manager', 'admin'],
  'worklog.team': ['supervisor', 'manager', 'admin'],
  // 单元大事记: the desk reads and adds to a unit's chronicle.
  'chronicle.read': DESK,
  'chronicle.write': DESK,
  // Sign-ins, sign-outs, revoked sessions (事事有记录 for access).
  'access.read': ['manager', 'admin'],
};

export function hasPermission(role: Role, capability: Capability): boolean {
  return PERMISSIONS[capability].includes(role);
}

/** The roles that hold a capability (the guard's and the OpenAPI document's reading). */
export function rolesWith(capability: Capability): readonly Role[] {
  return PERMISSIONS[capability];
}
