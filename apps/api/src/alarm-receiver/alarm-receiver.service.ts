import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { type PanelEvent, type PanelEventMeaning, type PanelProtocol, panelCodeKey, readContactId, readSiaDcs, withOwnMeaning } from '@dispatch/domain';
import { DataSource } from 'typeorm';
import { AlarmAccountEntity, AlarmZoneEntity } from '../alarms/alarm.entity';
import { AlarmsService } from '../alarms/alarms.service';
import { DeviceSupervision } from '../alarms/device-supervision';
import type { AppConfig } from '../config/env';
import { type Dc09Message, inWindow, nak, openSealed, parseFrame, reply } from './dc09';

/** A frame longer than this is not DC-09: the connection is dropped rather than buffered. */
const MAX_FRAME = 2_048;

/**
 * The alarm receiver (SIA DC-09 over TCP and UDP on ALARM_RECEIVER_PORT). Each message is
 * checked (CRC, length, timestamp window), its account and zone looked up, and its event
 * read through the one code table; alarms then take the same path as the HTTP intake, and
 * the ACK goes back only once the alarm is committed: a panel that gets no answer sends
 * again, and a repeat of a delivered message is absorbed as a duplicate.
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
    private readonly alarms: AlarmsService,
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
      const account = await this.account(message.account.toUpperCase());
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
      await this.supervision.heard(account.deviceId, now);
      if (message.id === 'NULL') return reply('ACK', message, now, key);
      const read = message.id === 'ADM-CID' ? readContactId(message.data) : message.id === 'SIA-DCS' ? readSiaDcs(message.data) : null;
      if (!read) return reply('DUH', message, now, key);
      const event = await this.ownMeaning(message.id as PanelProtocol, read);
      await this.deliver(account, message, event);
      return reply('ACK', message, now, key);
    } catch (error) {
      // The database is away: no ACK, so the panel retries and nothing is lost.
      this.logger.warn(`DC-09 message not taken (${(error as Error).message}); the panel will send it again`);
      return null;
    }
  }

  /** The event with the estate's own meaning for its code, where an admin set one. */
  private async ownMeaning(protocol: PanelProtocol, event: PanelEvent): Promise<PanelEvent> {
    const [own] = await this.dataSource.query<Array<{ meaning: PanelEventMeaning }>>('SELECT meaning FROM alarm_code WHERE protocol = $1 AND code = $2', [protocol, panelCodeKey(protocol, event)]);
    return own ? withOwnMeaning(protocol, event, own.meaning) : event;
  }

  /** The account a message names (a plain query: this runs for every link test). */
  private async account(account: string): Promise<Pick<AlarmAccountEntity, 'account' | 'deviceId' | 'encryptionKey'> | null> {
    const [row] = await this.dataSource.query<Array<{ account: string; device_id: string; encryption_key: string | null }>>(
      'SELECT account, device_id, encryption_key FROM alarm_account WHERE account = $1',
      [account],
    );
    return row ? { account: row.account, deviceId: row.device_id, encryptionKey: row.encryption_key } : null;
  }

  private async deliver(account: Pick<AlarmAccountEntity, 'account' | 'deviceId'>, message: Dc09Message, event: PanelEvent): Promise<void> {
    const zone = await this.dataSource.getRepository(AlarmZoneEntity).findOne({ where: { account: account.account, zone: event.zone } });
    const deviceId = zone?.deviceId ?? account.deviceId;
    const eventId = `dc09:${account.account}:${message.sequence}:${event.code}:${event.zone}`;
    if ('alarm' in event.meaning) {
      await this.alarms.receive(
        {
          deviceId,
          eventId,
          kind: event.meaning.alarm,
          ...(message.timestamp ? { occurredAt: message.timestamp.toISOString() } : {}),
          note: `${message.id} ${event.code} 防区 ${event.zone}`,
        },
        () => undefined,
        event.meaning.severity,
      );
    } else if ('restore' in event.meaning) {
      await this.alarms.restore(deviceId, { eventId, code: event.code });
    }
  }
}
