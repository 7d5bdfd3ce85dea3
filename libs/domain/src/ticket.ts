/** Request kinds of the front desk (前台业务), logged by staff. */
export const INTAKE_KINDS = ['repair', 'complaint', 'inquiry', 'help', 'suggestion', 'praise'] as const;
export type IntakeKind = (typeof INTAKE_KINDS)[number];
/** Every kind of ticket: alarms arrive from devices (POST /api/alarms) and run the same loop. */
export const TICKET_KINDS = [...INTAKE_KINDS, 'alarm'] as const;
export type TicketKind = (typeof TICKET_KINDS)[number];

export const CHANNELS = ['phone', 'wechat', 'app', 'front_desk', 'walk_in', 'email', 'patrol', 'device'] as const;
export type Channel = (typeof CHANNELS)[number];

export const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const DEPARTMENTS = [
  'customer_service',
  'engineering',
  'security',
  'cleaning',
  'landscaping',
] as const;
export type Department = (typeof DEPARTMENTS)[number];

/** The closed loop (闭环): 受理 → 派单 → 接单 → 到场 → 完成 → 回访 → 结案, plus 挂起 and 取消. */
export const TICKET_STATUSES = [
  'received',
  'dispatched',
  'accepted',
  'on_site',
  'done',
  'callback_done',
  'closed',
  'waiting',
  'cancelled',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Statuses in which a ticket still needs somebody to act: what the wallboard shows. */
export const OPEN_STATUSES: readonly TicketStatus[] = [
  'received',
  'dispatched',
  'accepted',
  'on_site',
  'done',
  'callback_done',
  'waiting',
];

/** A status filter as a list asks for it: `open`, one status, or several separated by commas. */
export const STATUS_FILTER = new RegExp(`^(open|(${TICKET_STATUSES.join('|')})(,(${TICKET_STATUSES.join('|')}))*)$`);
export const STATUS_FILTER_MESSAGE = `must be open or statuses from ${TICKET_STATUSES.join(', ')}`;

/** The statuses a STATUS_FILTER names (null: any). */
export function statusesOf(filter: string | undefined): TicketStatus[] | null {
  if (!filter) return null;
  if (filter === 'open') return [...OPEN_STATUSES];
  return filter.split(',') as TicketStatus[];
}

/** Problem categories chosen at intake, each with the department that usually handles it. */
export const CATEGORIES = {
  water_leak: 'engineering',
  lights: 'engineering',
  lift: 'engineering',
  door_lock: 'engineering',
  noise: 'security',
  hygiene: 'cleaning',
  parking: 'security',
  greenery: 'landscaping',
  security: 'security',
  other: 'customer_service',
} as const satisfies Record<string, Department>;
export type Category = keyof typeof CATEGORIES;
export const CATEGORY_CODES = Object.keys(CATEGORIES) as Category[];

/**
 * The department a new ticket is routed to: a repair goes to whoever fixes that category,
 * help to the department on duty for it; complaints are owned by customer service (its
 * supervisor, 客服主管, with the department at fault assisting); inquiries, suggestions and
 * praise are answered at the desk.
 */
export function defaultDepartment(kind: TicketKind, category: Category): Department {
  if (kind === 'repair') {
    const department = CATEGORIES[category];
    return department === 'customer_service' ? 'engineering' : department;
  }
  if (kind === 'help' || kind === 'alarm') return CATEGORIES[category];
  return 'customer_service';
}

/** The department at fault that assists with a complaint (none when customer service owns it alone). */
export function assistingDepartments(kind: TicketKind, category: Category): Department[] {
  if (kind !== 'complaint') return [];
  const atFault = CATEGORIES[category];
  return atFault === 'customer_service' ? [] : [atFault];
}

export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}
