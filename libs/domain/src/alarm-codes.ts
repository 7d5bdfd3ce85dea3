import type { AlarmKind, Severity } from './alarms';

/**
 * What an alarm panel's event means here. Contact ID (SIA DC-05, `ADM-CID`) reports
 * `Q EEE GG ZZZ`: qualifier (1 new, 3 restore, 6 previously reported), event code, partition,
 * zone; SIA DCS (`SIA-DCS`) two-letter codes and a zone. One table for both, as data:
 * an alarm of some kind, a restore, a periodic test, or nothing to act on (openings and
 * closings). A code not in the table is never dropped: it comes in as a fault to look at.
 */
export type PanelEventMeaning = { alarm: AlarmKind; severity?: Severity } | { restore: true } | { test: true } | { ignore: true };

/** The two event formats a panel reports in, as DC-09 names them. */
export const PANEL_PROTOCOLS = ['ADM-CID', 'SIA-DCS'] as const;
export type PanelProtocol = (typeof PANEL_PROTOCOLS)[number];

/** What an admin may make a code mean (PUT /api/alarm-codes/:protocol/:code). */
export const PANEL_CODE_ACTIONS = ['alarm', 'restore', 'test', 'ignore'] as const;
export type PanelCodeAction = (typeof PANEL_CODE_ACTIONS)[number];

/** A code as the table of one protocol names it: Contact ID's three digits (`130`), SIA's two letters (`BA`). */
export const PANEL_CODE_PATTERN: Readonly<Record<PanelProtocol, RegExp>> = { 'ADM-CID': /^\d{3}$/, 'SIA-DCS': /^[A-Z]{2}$/ };

/** The key an estate's own entry for this event is stored under (the qualifier is not part of it). */
export function panelCodeKey(protocol: PanelProtocol, event: Pick<PanelEvent, 'code'>): string {
  return protocol === 'ADM-CID' ? event.code.slice(1) : event.code;
}

/**
 * An estate's own meaning for a code, in place of the built-in one: a Contact ID restore
 * (qualifier 3) of a code that means an alarm is still a restore.
 */
export function withOwnMeaning(protocol: PanelProtocol, event: PanelEvent, meaning: PanelEventMeaning): PanelEvent {
  const restore = protocol === 'ADM-CID' && event.code.startsWith('3') && 'alarm' in meaning;
  return { ...event, meaning: restore ? { restore: true } : meaning };
}

/** Contact ID event codes by range (first match wins). */
export const CONTACT_ID_CODES: ReadonlyArray<{ from: number; to: number; meaning: PanelEventMeaning }> = [
  { from: 100, to: 109, meaning: { alarm: 'panic' } }, // medical
  { from: 110, to: 119, meaning: { alarm: 'smoke_fire' } }, // fire, smoke, heat
  { from: 120, to: 129, meaning: { alarm: 'panic' } }, // panic, duress, hold-up
  { from: 137, to: 137, meaning: { alarm: 'fault' } }, // tamper
  { from: 130, to: 139, meaning: { alarm: 'intrusion' } }, // burglary: perimeter, interior, 24 h
  { from: 140, to: 149, meaning: { alarm: 'intrusion' } }, // general alarm
  { from: 154, to: 154, meaning: { alarm: 'water_leak' } },
  { from: 150, to: 199, meaning: { alarm: 'fault' } }, // other 24-hour non-burglary
  { from: 300, to: 399, meaning: { alarm: 'fault' } }, // system and sensor troubles
  { from: 400, to: 499, meaning: { ignore: true } }, // openings, closings, remote arming
  { from: 602, to: 603, meaning: { test: true } }, // periodic and manual test reports
];

/** SIA DCS codes: the alarm codes; their restores (xR) are restores. */
export const SIA_CODES: Readonly<Record<string, PanelEventMeaning>> = {
  FA: { alarm: 'smoke_fire' },
  FH: { alarm: 'smoke_fire' },
  KA: { alarm: 'smoke_fire' }, // heat
  BA: { alarm: 'intrusion' },
  BV: { alarm: 'intrusion' }, // verified burglary
  PA: { alarm: 'panic' },
  HA: { alarm: 'panic' }, // hold-up
  MA: { alarm: 'panic' }, // medical
  WA: { alarm: 'water_leak' },
  TA: { alarm: 'fault' }, // tamper
  YT: { alarm: 'fault' }, // battery trouble
  AT: { alarm: 'fault' }, // AC trouble
  FR: { restore: true },
  BR: { restore: true },
  PR: { restore: true },
  HR: { restore: true },
  MR: { restore: true },
  WR: { restore: true },
  TR: { restore: true },
  RP: { test: true },
  RX: { test: true },
  OP: { ignore: true },
  CL: { ignore: true },
};

/** One panel event, read from its payload. */
export interface PanelEvent {
  account: string;
  /** `1130` (Contact ID qualifier + code) or `BA` (SIA). */
  code: string;
  zone: string;
  meaning: PanelEventMeaning;
}

/** `#1234|1130 01 015` (Contact ID) → the event; null when it is not one. */
export function readContactId(data: string): PanelEvent | null {
  const match = /^#([0-9A-Fa-f]{3,16})\|([136])(\d{3}) ([0-9A-Fa-f]{2}) ([0-9A-Fa-f]{3})$/.exec(data.trim());
  if (!match) return null;
  const [, account, qualifier, code, , zone] = match;
  const numeric = Number(code);
  const known = CONTACT_ID_CODES.find((row) => numeric >= row.from && numeric <= row.to)?.meaning ?? { alarm: 'fault' };
  const meaning: PanelEventMeaning = qualifier === '3' && 'alarm' in known ? { restore: true } : known;
  return { account: account.toUpperCase(), code: `${qualifier}${code}`, zone, meaning };
}

/** `#1234|NBA015` or `#1234|Nri1/BA015` (SIA DCS) → the event; null when it is not one. */
export function readSiaDcs(data: string): PanelEvent | null {
  const match = /^#([0-9A-Fa-f]{3,16})\|N(?:[a-z]{2}[0-9A-Za-z]*\/)*([A-Z]{2})(\d{0,4})/.exec(data.trim());
  if (!match) return null;
  const [, account, code, zone] = match;
  return { account: account.toUpperCase(), code, zone: zone.padStart(3, '0'), meaning: SIA_CODES[code] ?? { alarm: 'fault' } };
}
