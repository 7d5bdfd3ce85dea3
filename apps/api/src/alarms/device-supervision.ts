import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DeviceStatus } from '@dispatch/domain';
import { DataSource } from 'typeorm';
import { every } from '../common/every';
import type { AppConfig } from '../config/env';
import { EventBus } from '../events/event-bus';
import { EventLogService } from '../events/event-log.service';
import { AlarmsService } from './alarms.service';

/** Grace beyond the promised interval before a device counts as silent (one test may be late). */
export const SUPERVISION_GRACE = 1.5;

interface SilentDevice {
  id: string;
  name: string;
  last_seen_at: Date | null;
}

/**
 * Supervision of every device that promises a sign of life: alarm panels (DC-09 link tests)
 * and HTTP devices (heartbeats) alike. A device silent for longer than its interval (with
 * grace) raises one `fault` alarm to engineering and `device.offline`; its next message of
 * any kind ends it (`device.online`, and the fault restored, which completes it when nobody
 * had picked it up yet). The sweep runs in every api process: the fault's delivery id names
 * the silence and the row update is conditional, so two processes raise it once.
 */
@Injectable()
export class DeviceSupervision implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DeviceSupervision');
  private stopSweep: () => void = () => undefined;

  constructor(
    private readonly config: ConfigService<AppConfig, true>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly alarms: AlarmsService,
    private readonly log: EventLogService,
    private readonly bus: EventBus,
  ) {}

  onApplicationBootstrap(): void {
    this.stopSweep = every(this.config.get('WATCH_SWEEP_SECONDS', { infer: true }), () => this.supervise(), this.logger, 'supervision sweep');
  }

  onApplicationShutdown(): void {
    this.stopSweep();
  }

  /** Raises the fault of every supervised device silent at `now`; returns their ids. */
  async supervise(now = new Date()): Promise<string[]> {
    const silent = await this.dataSource.query<SilentDevice[]>(
      `SELECT id, name, last_seen_at FROM device
        WHERE active AND test_interval_seconds IS NOT NULL AND offline_since IS NULL
          AND coalesce(last_seen_at, '-infinity') < $1::timestamptz - make_interval(secs => test_interval_seconds * $2::float8)`,
      [now, SUPERVISION_GRACE],
    );
    const raised: string[] = [];
    for (const device of silent) {
      const since = device.last_seen_at ? new Date(device.last_seen_at).toISOString() : 'never';
      await this.alarms.receive({ deviceId: device.id, eventId: `offline:${device.id}:${since}`, kind: 'fault', note: `设备失联：${device.name}（最后联络 ${since}）` }, () => undefined);
      const event = await this.dataSource.transaction(async (db) => {
        // (A SELECT over the UPDATE: TypeORM answers a bare UPDATE with [rows, count], not rows.)
        const marked = await db.query<Array<{ id: string }>>(
          'WITH marked AS (UPDATE device SET offline_since = $2 WHERE id = $1 AND offline_since IS NULL RETURNING id) SELECT id FROM marked',
          [device.id, now],
        );
        if (marked.length === 0) return null;
        return this.log.append(db, { type: 'device.offline', data: { device: await this.status(db, device.id) } }, now);
      });
      if (event) {
        this.bus.published([event]);
        raised.push(device.id);
      }
    }
    return raised;
  }

  /**
   * A message from the device (an alarm, a restore, a link test, a heartbeat): it is alive.
   * After a silence, `device.online` and the fault restored. Returns whether it was offline.
   */
  async heard(deviceId: string, now = new Date()): Promise<boolean> {
    // The common case, a device that was not silent, in one statement (a panel's link tests
    // are most of the receiver's traffic); only a return from silence takes the transaction.
    const [, touched] = await this.dataSource.query<[unknown, number]>('UPDATE device SET last_seen_at = $2 WHERE id = $1 AND offline_since IS NULL', [deviceId, now]);
    if (touched > 0) return false;
    const event = await this.dataSource.transaction(async (db) => {
      const [row] = await db.query<Array<{ was_offline: Date | null }>>(
        `WITH heard AS (
           UPDATE device d SET last_seen_at = $2, offline_since = NULL
             FROM (SELECT id, offline_since FROM device WHERE id = $1 FOR UPDATE) old
            WHERE d.id = old.id RETURNING old.offline_since AS was_offline)
         SELECT was_offline FROM heard`,
        [deviceId, now],
      );
      if (!row?.was_offline) return null;
      return this.log.append(db, { type: 'device.online', data: { device: await this.status(db, deviceId) } }, now);
    });
    if (!event) return false;
    this.bus.published([event]);
    await this.alarms.restore(deviceId, { eventId: `online:${deviceId}:${now.toISOString()}`, code: 'ONLINE' }, 'fault');
    return true;
  }

  /** Every supervised device, the silent ones first (the wallboard's "devices offline"). */
  async list(): Promise<DeviceStatus[]> {
    return this.statuses(this.dataSource.manager, null);
  }

  private async status(db: { query: DataSource['query'] }, deviceId: string): Promise<DeviceStatus> {
    const [one] = await this.statuses(db, deviceId);
    return one;
  }

  private async statuses(db: { query: DataSource['query'] }, deviceId: string | null): Promise<DeviceStatus[]> {
    const rows = await db.query<Array<{ id: string; name: string; location: string | null; last_seen_at: Date | null; test_interval_seconds: number | null; offline_since: Date | null }>>(
      `SELECT d.id, d.name, coalesce(u.code, a.code) AS location, d.last_seen_at, d.test_interval_seconds, d.offline_since
         FROM device d LEFT JOIN unit u ON u.id = d.unit_id LEFT JOIN public_area a ON a.id = d.area_id
        WHERE d.active AND ($1::text IS NULL OR d.id = $1)
        ORDER BY d.offline_since ASC NULLS LAST, d.id`,
      [deviceId],
    );
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      location: row.location,
      lastSeenAt: row.last_seen_at ? new Date(row.last_seen_at).toISOString() : null,
      testIntervalSeconds: row.test_interval_seconds,
      offlineSince: row.offline_since ? new Date(row.offline_since).toISOString() : null,
    }));
  }
}
