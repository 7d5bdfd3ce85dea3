import { createSocket } from 'node:dgram';
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { connect } from 'node:net';

/**
 * An alarm panel for the tests, written from the DC-09 frame format (not from the receiver's
 * code): `<LF><crc><0LLL>"<id>"<seq>R<rcvr>L<pref>#<acct>[<data>]<timestamp><CR>`.
 */
export function crcArc(text: string): number {
  // Bit by bit over the reflected polynomial, most plainly: CRC-16/ARC.
  let crc = 0x0000;
  for (let i = 0; i < text.length; i++) {
    let byte = text.charCodeAt(i) & 0xff;
    for (let bit = 0; bit < 8; bit++) {
      const mix = (crc ^ byte) & 1;
      crc >>= 1;
      if (mix) crc ^= 0xa001;
      byte >>= 1;
    }
  }
  return crc;
}

export function panelTimestamp(at = new Date()): string {
  const two = (n: number) => `0${n}`.slice(-2);
  return `_${two(at.getUTCHours())}:${two(at.getUTCMinutes())}:${two(at.getUTCSeconds())},${two(at.getUTCMonth() + 1)}-${two(at.getUTCDate())}-${at.getUTCFullYear()}`;
}

export interface PanelMessage {
  id: 'ADM-CID' | 'SIA-DCS' | 'NULL' | '*ADM-CID';
  sequence: number;
  account: string;
  data: string;
  at?: Date;
  /** Break the frame on purpose. */
  badCrc?: boolean;
}

/** AES-CBC with a zero IV over `<pad>|<data>]<timestamp>`, as a panel with a key sends it. */
function sealAsPanel(data: string, timestamp: string, key: Buffer): string {
  const content = `|${data}]${timestamp}`;
  const plain = `${'Q'.repeat((16 - (content.length % 16)) % 16)}${content}`;
  const cipher = createCipheriv(`aes-${key.length * 8}-cbc`, key, Buffer.alloc(16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain, 'latin1'), cipher.final()]).toString('hex').toUpperCase();
}

/** The plain text of a sealed answer (`"*ACK"...[<hex>`). */
export function openAnswer(raw: string, key: Buffer): string {
  const hex = raw.slice(raw.indexOf('[') + 1, raw.lastIndexOf('\r'));
  const decipher = createDecipheriv(`aes-${key.length * 8}-cbc`, key, Buffer.alloc(16));
  decipher.setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(Buffer.from(hex, 'hex')), decipher.final()]).toString('latin1');
  return plain.slice(plain.indexOf('|') + 1);
}

export function panelFrame(message: PanelMessage & { key?: Buffer }): string {
  const head = `"${message.key ? '*' : ''}${message.id}"${String(message.sequence).padStart(4, '0')}R0L0#${message.account}[`;
  const body = message.key ? `${head}${sealAsPanel(message.data, panelTimestamp(message.at), message.key)}` : `${head}${message.data}]${panelTimestamp(message.at)}`;
  const crc = (crcArc(body) ^ (message.badCrc ? 0x0101 : 0)).toString(16).toUpperCase().padStart(4, '0');
  return `\n${crc}0${body.length.toString(16).toUpperCase().padStart(3, '0')}${body}\r`;
}

/** What the receiver answered: ACK, NAK or DUH, and the sequence it echoed. */
export function answerOf(raw: string): { kind: string; sequence: string } {
  const match = /"(ACK|NAK|DUH)"(\d{4})/.exec(raw);
  return match ? { kind: match[1], sequence: match[2] } : { kind: `?${JSON.stringify(raw)}`, sequence: '' };
}

export function sendTcp(port: number, frames: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const answers: string[] = [];
    let buffer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`only ${answers.length} of ${frames.length} answers in 10 s`));
    }, 10_000);
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      let end: number;
      while ((end = buffer.indexOf('\r')) >= 0) {
        answers.push(buffer.slice(0, end + 1));
        buffer = buffer.slice(end + 1);
      }
      if (answers.length === frames.length) {
        clearTimeout(timer);
        socket.end();
        resolve(answers);
      }
    });
    socket.on('error', reject);
    socket.on('connect', () => socket.write(frames.join(''), 'latin1'));
  });
}

export function sendUdp(port: number, frame: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error('no UDP answer in 10 s'));
    }, 10_000);
    socket.on('message', (answer) => {
      clearTimeout(timer);
      socket.close();
      resolve(answer.toString('latin1'));
    });
    socket.send(Buffer.from(frame, 'latin1'), port, '127.0.0.1');
  });
}
