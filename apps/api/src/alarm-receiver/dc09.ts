import { createCipheriv, createDecipheriv, randomInt } from 'node:crypto';

/**
 * ANSI/SIA DC-09 framing: `<LF><crc><0LLL><"id"><seq><Rrcvr><Lpref><#acct>[<data>]<timestamp><CR>`.
 * The CRC (CRC-16/ARC) and the length cover the body from the first quote to the end of the
 * timestamp. An encrypted message (`"*ADM-CID"`) carries, after `[`, the hex of AES-CBC (zero
 * IV, key of 16, 24 or 32 bytes) over `<pad>|<data>]<timestamp>`, the pad filling to 16 bytes.
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
  /** For an encrypted message: the hex after `[`, until decrypted with the account's key. */
  encrypted?: string;
}

export type ParsedFrame = { ok: true; message: Dc09Message } | { ok: false; problem: 'crc' | 'length' | 'format' | 'timestamp'; message?: Dc09Message };

const TIMESTAMP = /_(\d{2}):(\d{2}):(\d{2}),(\d{2})-(\d{2})-(\d{4})$/;
const BODY = /^"([A-Z0-9-]{1,16})"([0-9A-F]{4})(?:R([0-9A-F]{1,6}))?L([0-9A-F]{1,6})#([0-9A-F]{3,16})\[([^\]]*)\](?:\[[^\]]*\])*(_\d{2}:\d{2}:\d{2},\d{2}-\d{2}-\d{4})?$/;
const ENCRYPTED = /^"(\*[A-Z0-9-]{1,16})"([0-9A-F]{4})(?:R([0-9A-F]{1,6}))?L([0-9A-F]{1,6})#([0-9A-F]{3,16})\[((?:[0-9A-F]{32})+)$/;

function timeOf(text: string | undefined): Date | null {
  const match = text ? TIMESTAMP.exec(text) : null;
  if (!match) return null;
  const [, hh, mm, ss, month, day, year] = match;
  return new Date(Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hh), Number(mm), Number(ss)));
}

/** Inside the allowed window of the receiver's clock (+20 s / -40 s by default)? */
export function inWindow(timestamp: Date, now: Date, window = { aheadMs: 20_000, behindMs: 40_000 }): boolean {
  const skew = timestamp.getTime() - now.getTime();
  return !Number.isNaN(skew) && skew <= window.aheadMs && skew >= -window.behindMs;
}

/** Reads one frame (without its LF and CR); checks CRC, length, then shape. */
export function parseFrame(frame: string, now: Date, window = { aheadMs: 20_000, behindMs: 40_000 }): ParsedFrame {
  const head = /^([0-9A-Fa-f]{4})0([0-9A-Fa-f]{3})(".*)$/s.exec(frame);
  if (!head) return { ok: false, problem: 'format' };
  const [, crc, length, body] = head;
  if (parseInt(crc, 16) !== crc16(body)) return { ok: false, problem: 'crc' };
  if (parseInt(length, 16) !== Buffer.byteLength(body, 'latin1')) return { ok: false, problem: 'length' };
  const sealed = ENCRYPTED.exec(body);
  if (sealed) {
    const [, id, sequence, receiver, prefix, account, encrypted] = sealed;
    return { ok: true, message: { id, sequence, receiver: receiver ?? null, prefix, account, data: '', timestamp: null, encrypted } };
  }
  const match = BODY.exec(body);
  if (!match) return { ok: false, problem: 'format' };
  const [, id, sequence, receiver, prefix, account, data, timestampText] = match;
  const timestamp = timeOf(timestampText);
  const message: Dc09Message = { id, sequence, receiver: receiver ?? null, prefix, account, data, timestamp };
  if (timestamp && !inWindow(timestamp, now, window)) return { ok: false, problem: 'timestamp', message };
  return { ok: true, message };
}

/** The AES algorithm for a key of 16, 24 or 32 bytes (hex in the account's row). */
function cipherOf(key: Buffer): string {
  if (![16, 24, 32].includes(key.length)) throw new Error('an AES key has 16, 24 or 32 bytes');
  return `aes-${key.length * 8}-cbc`;
}

/**
 * Opens an encrypted message with its account's key: its data and timestamp (which an
 * encrypted message must carry), or null when the key does not open it.
 */
export function openSealed(message: Dc09Message, key: Buffer): { data: string; timestamp: Date } | null {
  try {
    const decipher = createDecipheriv(cipherOf(key), key, Buffer.alloc(16));
    decipher.setAutoPadding(false);
    const plain = Buffer.concat([decipher.update(Buffer.from(message.encrypted ?? '', 'hex')), decipher.final()]).toString('latin1');
    const bar = plain.indexOf('|');
    if (bar < 0) return null;
    const match = /^(.*?)\](?:\[[^\]]*\])*(_\d{2}:\d{2}:\d{2},\d{2}-\d{2}-\d{4})$/s.exec(plain.slice(bar + 1));
    const timestamp = match ? timeOf(match[2]) : null;
    return match && timestamp ? { data: match[1], timestamp } : null;
  } catch {
    return null;
  }
}

/** `<pad>|<content><timestamp>` encrypted and hex-encoded, the pad filling to whole blocks. */
export function seal(content: string, key: Buffer): string {
  const length = 1 + content.length;
  const pad = Array.from({ length: 16 - (length % 16) || 16 }, () => String.fromCharCode(randomInt(0x30, 0x5a)).replace(/[[\]|]/, 'x')).join('');
  const cipher = createCipheriv(cipherOf(key), key, Buffer.alloc(16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(`${pad}|${content}`, 'latin1'), cipher.final()]).toString('hex').toUpperCase();
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

/** ACK or DUH echoing the message's sequence, receiver, prefix and account; sealed with the key when the message was. */
export function reply(kind: 'ACK' | 'DUH', message: Dc09Message, now: Date, key?: Buffer): string {
  const head = `${message.sequence}${message.receiver ? `R${message.receiver}` : ''}L${message.prefix}#${message.account}[`;
  if (key) return frame(`"*${kind}"${head}${seal(`]${stamp(now)}`, key)}`);
  return frame(`"${kind}"${head}]${stamp(now)}`);
}

/** NAK: sequence 0000 and the receiver's own time, so the panel can correct its clock. */
export function nak(now: Date): string {
  return frame(`"NAK"0000R0L0A0[]${stamp(now)}`);
}
