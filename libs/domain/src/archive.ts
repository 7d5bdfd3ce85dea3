import { maskName, maskPhone } from './personal-data';

/**
 * The owner archive (业主档案): the people of a unit, kept accurate and confidential. Several
 * per unit (owner, tenant, family member); what matters in an emergency (an elderly person
 * living alone, an infant, someone who cannot walk: seed 001 asks staff to collect these);
 * the key-owner flag with its reason and how the desk greets them; when it was last verified.
 */
export const RESIDENT_ROLES = ['owner', 'tenant', 'family'] as const;
export type ResidentRole = (typeof RESIDENT_ROLES)[number];

/** The fields a resident record holds; changes are logged by these names, never with the values. */
export const RESIDENT_FIELDS = [
  'role',
  'name',
  'phone',
  'wechat',
  'preferredContactTime',
  'vehicles',
  'pets',
  'householdNotes',
  'emergencyContact',
  'keyOwner',
  'keyOwnerReason',
  'greeting',
] as const;
export type ResidentField = (typeof RESIDENT_FIELDS)[number];

/** Personal fields: masked for everyone until a logged reveal. */
export const PERSONAL_RESIDENT_FIELDS: readonly ResidentField[] = ['name', 'phone', 'wechat', 'vehicles', 'pets', 'householdNotes', 'emergencyContact'];

export interface ResidentRecord {
  role: ResidentRole;
  name: string;
  phone: string | null;
  wechat: string | null;
  /** When they prefer to be called (e.g. 晚上7点后). */
  preferredContactTime: string | null;
  /** Number plates. */
  vehicles: string[];
  pets: string | null;
  /** What matters in an emergency: 独居老人, 婴儿, 行动不便… */
  householdNotes: string | null;
  /** Someone to call when the resident cannot be reached: name and phone. */
  emergencyContact: string | null;
  /** 重点住户. */
  keyOwner: boolean;
  keyOwnerReason: string | null;
  /** How the desk greets them (王先生). */
  greeting: string | null;
}

export interface ResidentView extends ResidentRecord {
  id: string;
  unit: string;
  version: number;
  /** Last time someone confirmed the record with the resident (档案信息准确率 counts these). */
  verifiedAt: string | null;
  movedOutAt: string | null;
  /** True: the personal fields above are masked (a reveal, logged with a reason, shows them). */
  masked: boolean;
}

/** `粤B12345` → `粤B***45`: recognisable, not copyable. */
export function maskPlate(plate: string): string {
  const chars = [...plate.replace(/[\s·]/g, '')];
  if (chars.length <= 4) return '*'.repeat(chars.length);
  return chars.slice(0, 2).join('') + '*'.repeat(chars.length - 4) + chars.slice(-2).join('');
}

/** A resident as anyone but a logged reveal sees them: names, phones, plates masked; notes said to exist, not shown. */
export function maskResident(view: Omit<ResidentView, 'masked'>): ResidentView {
  const hidden = (value: string | null) => (value ? '***' : null);
  return {
    ...view,
    name: maskName(view.name),
    phone: view.phone ? maskPhone(view.phone) : null,
    wechat: hidden(view.wechat),
    vehicles: view.vehicles.map(maskPlate),
    pets: hidden(view.pets),
    householdNotes: hidden(view.householdNotes),
    emergencyContact: hidden(view.emergencyContact),
    masked: true,
  };
}

/** The fields whose values differ (what the log records of an edit: names, never values). */
export function changedResidentFields(before: ResidentRecord, after: ResidentRecord): ResidentField[] {
  return RESIDENT_FIELDS.filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]));
}

/** Phones compared by their digits: how a caller's number finds their record. */
export function phoneDigits(phone: string): string {
  return phone.replace(/\D/g, '');
}

/** 档案信息准确率: the share of current records verified within `months` of `now`. */
export function verifiedShare(records: ReadonlyArray<{ verifiedAt: string | null; movedOutAt: string | null }>, now: Date, months = 6): { verified: number; current: number; rate: number | null } {
  const since = new Date(now);
  since.setUTCMonth(since.getUTCMonth() - months);
  const current = records.filter((record) => !record.movedOutAt);
  const verified = current.filter((record) => record.verifiedAt && Date.parse(record.verifiedAt) >= since.getTime()).length;
  return { verified, current: current.length, rate: current.length === 0 ? null : verified / current.length };
}

/** A unit's card on every ticket and alarm there: its people (masked), their open tickets and promises. */
export interface OwnerCard {
  unit: string;
  residents: ResidentView[];
  /** Tickets at the unit still open, newest first, with the time promised to the owner if any. */
  open: Array<{ id: string; number: string; status: string; category: string; agreedAt: string | null }>;
}
