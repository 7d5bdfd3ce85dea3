import { describe, expect, it } from 'vitest';
import { crc16, frame, nak, openSealed, parseFrame, reply, seal, stamp } from './dc09';

const now = new Date('2026-11-23T12:00:00Z');
const body = (timestamp = stamp(now)) => `"ADM-CID"0007R0L0#1234[#1234|1130 01 015]${timestamp}`;
const strip = (whole: string) => whole.slice(1, -1);

describe('DC-09 frames', () => {
  it('computes CRC-16/ARC (check value of "123456789" is BB3D)', () => {
    expect(crc16('123456789')).toBe(0xbb3d);
  });

  it('reads a framed message: id, sequence, receiver, prefix, account, data, timestamp', () => {
    const parsed = parseFrame(strip(frame(body())), now);
    expect(parsed).toEqual({ ok: true, message: { id: 'ADM-CID', sequence: '0007', receiver: '0', prefix: '0', account: '1234', data: '#1234|1130 01 015', timestamp: now } });
  });

  it('refuses a bad CRC, a wrong length, a stale or early timestamp', () => {
    const good = strip(frame(body()));
    expect(parseFrame(`0000${good.slice(4)}`, now)).toMatchObject({ ok: false, problem: 'crc' });
    expect(parseFrame(`${good.slice(0, 5)}FFF${good.slice(8)}`, now)).toMatchObject({ ok: false, problem: expect.stringMatching(/crc|length/) });
    expect(parseFrame(strip(frame(body(stamp(new Date(now.getTime() - 41_000))))), now)).toMatchObject({ ok: false, problem: 'timestamp' });
    expect(parseFrame(strip(frame(body(stamp(new Date(now.getTime() + 21_000))))), now)).toMatchObject({ ok: false, problem: 'timestamp' });
    expect(parseFrame(strip(frame(body(stamp(new Date(now.getTime() - 39_000))))), now).ok).toBe(true);
    expect(parseFrame(strip(frame('"ADM-CID"0007L0#1234')), now)).toMatchObject({ ok: false, problem: 'format' });
  });

  it('answers ACK echoing sequence, receiver, prefix and account; NAK with the receiver\'s time', () => {
    const parsed = parseFrame(strip(frame(body())), now);
    if (!parsed.ok) throw new Error('not parsed');
    expect(strip(reply('ACK', parsed.message, now))).toMatch(/^[0-9A-F]{4}0[0-9A-F]{3}"ACK"0007R0L0#1234\[\]_12:00:00,11-23-2026$/);
    expect(strip(nak(now))).toMatch(/"NAK"0000R0L0A0\[\]_12:00:00,11-23-2026$/);
  });

  it('seals and opens with AES-128, -192 and -256, and a wrong key opens nothing', () => {
    for (const bytes of [16, 24, 32]) {
      const key = Buffer.alloc(bytes, 0x2a);
      const hex = seal(`#1234|1130 01 015]${stamp(now)}`, key);
      expect(hex.length % 32).toBe(0);
      const parsed = parseFrame(strip(frame(`"*ADM-CID"0007R0L0#1234[${hex}`)), now);
      if (!parsed.ok) throw new Error(`not parsed: ${parsed.problem}`);
      expect(openSealed(parsed.message, key)).toEqual({ data: '#1234|1130 01 015', timestamp: now });
      expect(openSealed(parsed.message, Buffer.alloc(bytes, 0x2b))).toBeNull();
    }
  });
});
