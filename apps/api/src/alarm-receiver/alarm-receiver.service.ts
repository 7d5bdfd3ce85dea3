import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { type PanelEvent, type PanelEventMeaning, type PanelProtocol, panelCodeKey, readContactId, readSiaDcs, withOwnMeaning } from '@dispatch/domain';
import { DataSource } from 'typeorm';
import { DeviceSupervision } from '../alarms/device-supervision';
import type { AppConfig } from '../config/env';
import { AlarmReceipts } from './alarm-receipts';
import { type Dc09Message, inWindow, nak, openSealed, parseFrame, reply } from './dc09';

/** A frame longer than this is not DC-09: the connection is dropped rather than buffered. */
const MAX_FRAME = 2_048;

/**
 * The alarm receiver (SIA DC-09 over TCP and UDP on ALARM_RECEIVER_PORT). Each message is
 * checked (CRC, length, timestamp window), its account and zone looked up, and its event
 * read through the one code table; alarms and restores are kept in the receiver's journal
 * (AlarmReceipts), and the ACK goes back once that is committed: a panel that gets no answer
 * sends again, and a repeat of a delivered message is absorbed as a duplicate. From the journal
 * they take the same path as the HTTP intake.
 */
@Injectable()
export class AlarmReceiver implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AlarmReceiver');
  private tcp?: Server;
  private udp?: UdpSocket;
  private readonly connections = new Set<Socket>();
  /** The ports listened on (a configured 0 picks free ones). */
  tcpPort: number | null = null;
  udpPort: number | null = null;

  constructor(
    private readonly config: ConfigService<AppConfig, true>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly receipts: AlarmReceipts,
    private readonly supervision: DeviceSupervision,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.get('ALARM_RECEIVER_PORT', { infer: true });
    if (port === undefined) return;
    const host = this.config.get('ALARM_RECEIVER_HOST', { infer: true });
    this.tcp = createServer((socket) => this.serveTcp(socket));
    await new Promise<void>((resolve, reject) => this.tcp?.once('error', reject).listen(port, host, () => resolve()));
    this.tcpPort = (this.tcp.address() as AddressInfo).port;
    this.udp = createSocket('udp4');
    this.udp.on('message', (datagram, from) => {
      void this.answer(datagram.toString('latin1')).then((answer) => answer && this.udp?.send(Buffer.from(answer, 'latin1'), from.port, from.address));
    });
    await new Promise<void>((resolve, reject) => this.udp?.once('error', reject).bind(port === 0 ? 0 : port, host, () => resolve()));
    this.udpPort = this.udp.address().port;
    this.logger.log(`DC-09 receiver on tcp ${this.tcpPort} and udp ${this.udpPort}`);
  }

  async onApplicationShutdown(): Promise<void> {
    for (const socket of this.connections) socket.destroy();
    await Promise.all([
      new Promise<void>((resolve) => (this.tcp ? this.tcp.close(() => resolve()) : resolve())),
      new Promise<void>((resolve) => (this.udp ? this.udp.close(() => resolve()) : resolve())),
    ]);
  }

  /** One TCP connection: frames in order, each answered before the next is read. */
  private serveTcp(socket: Socket): void {
    this.connections.add(socket);
    socket.on('close', () => this.connections.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffer = '';
    let queue = Promise.resolve();
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      let end: number;
      while ((end = buffer.indexOf('\r')) >= 0) {
        const raw = buffer.slice(0, end + 1);
        buffer = buffer.slice(end + 1);
        queue = queue.then(async () => {
          const answer = await this.answer(raw);
          if (answer && !socket.destroyed) socket.write(Buffer.from(answer, 'latin1'));
        });
      }
      if (buffer.length > MAX_FRAME) socket.destroy();
    });
  }

  /** The answer to one raw frame (LF … CR); null: no answer, so the panel sends it again. */
  async answer(raw: string, now = new Date()): Promise<string | null> {
    const body = raw.replace(/^[\n\0]+/, '').replace(/\r$/, '');
    const parsed = parseFrame(body, now);
    if (!parsed.ok) {
      if (parsed.problem === 'format') return reply('DUH', { id: 'DUH', sequence: '0000', receiver: null, prefix: '0', account: '0', data: '', timestamp: null }, now);
      return nak(now);
    }
    let message = parsed.message;
    try {
      // A plain message from a plain account marks its panel heard in the same statement.
      const account = await this.account(message.account.toUpperCase(), message.encrypted ? null : now);
      if (!account) {
        this.logger.warn(`DC-09 message from unknown account ${message.account}`);
        return reply('DUH', message, now);
      }
      // An account with a key speaks only encrypted, and its answers are sealed the same way.
      const key = account.encryptionKey ? Buffer.from(account.encryptionKey, 'hex') : undefined;
      if (Boolean(message.encrypted) !== Boolean(key)) return reply('DUH', message, now);
      if (message.encrypted && key) {
        const opened = openSealed(message, key);
        if (!opened) return reply('DUH', message, now);
        if (!inWindow(opened.timestamp, now)) return nak(now);
        message = { ...message, id: message.id.slice(1), data: opened.data, timestamp: opened.timestamp };
      }
      // Not heard above (sealed, or back from a silence, which ends its fault): the full path.
      if (!account.heard) await this.supervision.heard(account.deviceId, now);
      if (message.id === 'NULL') return reply('ACK', message, now, key);
      const read = message.id === 'ADM-CID' ? readContactId(message.data) : message.id === 'SIA-DCS' ? readSiaDcs(message.data) : null;
      if (!read) return reply('DUH', message, now, key);
      await this.deliver(account, message, message.id as PanelProtocol, read, now);
      return reply('ACK', message, now, key);
    } catch (error) {
      // The database is away: no ACK, so the panel retries and nothing is lost.
      this.logger.warn(`DC-09 message not taken (${(error as Error).message}); the panel will send it again`);
      return null;
    }
  }

  /**
   * The account a message names (a plain query: this runs for every link test). With `heardAt`
   * (a plain message), a plain account's panel is marked heard in the same statement unless it
   * was silent: `heard` says whether it was.
   */
  private async account(account: string, heardAt: Date | null): Promise<{ account: string; deviceId: string; encryptionKey: string | null; heard: boolean } | null> {
    const [row] = await this.dataSource.query<Array<{ account: string; device_id: string; encryption_key: string | null; heard: boolean }>>(
      `WITH found AS (SELECT account, device_id, encryption_key FROM alarm_account WHERE account = $1),
            heard AS (UPDATE device d SET last_seen_at = $2 FROM found
                       WHERE $2::timestamptz IS NOT NULL AND found.encryption_key IS NULL AND d.id = found.device_id AND d.offline_since IS NULL
                       RETURNING d.id)
       SELECT found.*, EXISTS (SELECT 1 FROM heard) AS heard FROM found`,
      [account, heardAt],
    );
    return row ? { account: row.account, deviceId: row.device_id, encryptionKey: row.encryption_key, heard: row.heard } : null;
  }

  /**
   * The message into the receiver's journal (committed before the ACK), for the alarm path to
   * take: its code read with the estate's own meaning where an admin set one, at its zone's
   * device where the zone has one (one query for both).
   */
  private async deliver(account: { account: string; deviceId: string }, message: Dc09Message, protocol: PanelProtocol, read: PanelEvent, now: Date): Promise<void> {
    const [found] = await this.dataSource.query<Array<{ meaning: PanelEventMeaning | null; device_id: string | null }>>(
      `SELECT (SELECT meaning FROM alarm_code WHERE protocol = $1 AND code = $2) AS meaning,
              (SELECT device_id FROM alarm_zone WHERE account = $3 AND zone = $4) AS device_id`,
      [protocol, panelCodeKey(protocol, read), account.account, read.zone],
    );
    const event = found.meaning ? withOwnMeaning(protocol, read, found.meaning) : read;
    const deviceId = found.device_id ?? account.deviceId;
    const eventId = `dc09:${account.account}:${message.sequence}:${event.code}:${event.zone}`;
    if ('alarm' in event.meaning) {
      const alarm = {
        deviceId,
        eventId,
        kind: event.meaning.alarm,
        ...(message.timestamp ? { occurredAt: message.timestamp.toISOString() } : {}),
        note: `${message.id} ${event.code} 防区 ${event.zone}`,
      };
      await this.receipts.keep(deviceId, eventId, { alarm, ...(event.meaning.severity ? { severity: event.meaning.severity } : {}) }, now);
    } else if ('restore' in event.meaning) {
      await this.receipts.keep(deviceId, eventId, { restore: { eventId, code: event.code } }, now);
    }
  }
}
