/**
 * ANSI/SIA DC-09 framing: `<LF><crc><0LLL><"id"><seq><Rrcvr><Lpref><#acct>[<data>]<timestamp><CR>`.
 * The CRC (CRC-16/ARC) and the length cover the body from the first quote to the end of the
 * timestamp. Plain messages only: encrypted ones (`"*ADM-CID"`) are answered DUH for now.
 */

/** CRC-16/ARC: polynomial 0x8005, reflected in and out, initial 0. */
export function crc16(text: string): number {
  let crc = 0;
  for (const byte of Buffer.from(text, 'latin1')) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

export interface Dc09Message {
  id: string;
  sequence: string;
  receiver: string | null;
  prefix: string;
  account: string;
  data: string;
  /** The panel's clock, when it sent one. */
  timestamp: Date | null;
}

export type ParsedFrame = { ok: true; message: Dc09Message } | { ok: false; problem: 'crc' | 'length' | 'format' | 'timestamp'; message?: Dc09Message };

const BODY = /^"(\*?[A-Z0-9-]{1,16})"(\d{4})(?:R([0-9A-F]{1,6}))?L([0-9A-F]{1,6})#([0-9A-F]{3,16})\[([^\]]*)\](?:\[[^\]]*\])*(?:_(\d{2}):(\d{2}):(\d{2}),(\d{2})-(\d{2})-(\d{4}))?$/;

/** Reads one frame (without its LF and CR); checks CRC, length, then shape. */
export function parseFrame(frame: string, now: Date, window = { aheadMs: 20_000, behindMs: 40_000 }): ParsedFrame {
  const head = /^([0-9A-Fa-f]{4})0([0-9A-Fa-f]{3})(".*)$/s.exec(frame);
  if (!head) return { ok: false, problem: 'format' };
  const [, crc, length, body] = head;
  if (parseInt(crc, 16) !== crc16(body)) return { ok: false, problem: 'crc' };
  if (parseInt(length, 16) !== Buffer.byteLength(body, 'latin1')) return { ok: false, problem: 'length' };
  const match = BODY.exec(body);
  if (!match) return { ok: false, problem: 'format' };
  const [, id, sequence, receiver, prefix, account, data, hh, mm, ss, month, day, year] = match;
  const timestamp = hh ? new Date(Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hh), Number(mm), Number(ss))) : null;
  const message: Dc09Message = { id, sequence, receiver: receiver ?? null, prefix, account, data, timestamp };
  if (timestamp) {
    const skew = timestamp.getTime() - now.getTime();
    if (Number.isNaN(skew) || skew > window.aheadMs || skew < -window.behindMs) return { ok: false, problem: 'timestamp', message };
  }
  return { ok: true, message };
}

/** `_HH:MM:SS,MM-DD-YYYY` in UTC. */
export function stamp(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `_${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())},${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}-${at.getUTCFullYear()}`;
}

/** A whole frame around a body: LF, CRC, length, body, CR. */
export function frame(body: string): string {
  const crc = crc16(body).toString(16).toUpperCase().padStart(4, '0');
  const length = Buffer.byteLength(body, 'latin1').toString(16).toUpperCase().padStart(3, '0');
  return `\n${crc}0${length}${body}\r`;
}

/** ACK or DUH echoing the message's sequence, receiver, prefix and account. */
export function reply(kind: 'ACK' | 'DUH', message: Dc09Message, now: Date): string {
  return frame(`"${kind}"${message.sequence}${message.receiver ? `R${message.receiver}` : ''}L${message.prefix}#${message.account}[]${stamp(now)}`);
}

/** NAK: sequence 0000 and the receiver's own time, so the panel can correct its clock. */
export function nak(now: Date): string {
  return frame(`"NAK"0000R0L0A0[]${stamp(now)}`);
}
