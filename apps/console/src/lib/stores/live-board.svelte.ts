import { type AnyDomainEvent, type ClientToServerEvents, type Department, type DeviceStatus, type DomainEvent, hasPermission, LiveFeed, onRosterAt, type ServerToClientEvents, type StaffLoad, type TicketPage, type TicketView } from '@dispatch/domain';
import { io, type Socket } from 'socket.io-client';
import { BoardState } from './board-state';
import { serverClock } from './server-clock.svelte';
import { apiFetch, session } from './session.svelte';

/** How often a live screen asks the server for its time; silent for STALE_AFTER_MS, it is stale. */
const HEARTBEAT_MS = 5_000;
export const STALE_AFTER_MS = 10_000;

export type ConnectionStatus = 'connecting' | 'replaying' | 'live' | 'offline' | 'signed_out';

/**
 * Live tickets for the wallboard: a snapshot over HTTP, then events over the socket through
 * the shared LiveFeed, which replays whatever a network drop made it miss, in seq order.
 */
class LiveBoard {
  status = $state<ConnectionStatus>('connecting');
  tickets = $state<TicketView[]>([]);
  /** Supervised devices silent past their interval (the wallboard's 设备失联), for those who may read devices. */
  devicesOffline = $state<DeviceStatus[]>([]);
  /** Field staff on duty per department (the wallboard's 无人值班), for those who may list staff; null: not known. */
  onDuty = $state<Partial<Record<Department, number>> | null>(null);
  /** Field staff and supervisors with their load, duty and rostered shifts (for those who may list staff). */
  staff = $state<StaffLoad[]>([]);
  lastSeq = $state(0);
  /** Local ms of the last sign of life from the server (an event, a heartbeat answer). */
  lastHeard = $state(Date.now());
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private readonly board = new BoardState(() => session.user);
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;
  private loaded = false;
  /**
   * Device and duty events heard while their lists are being read: an answer read before
   * such an event but arriving after it would otherwise put the old state back, so each
   * list is replayed over with them when it comes.
   */
  private readonly readsInFlight = new Set<AnyDomainEvent[]>();

  connect(): void {
    if (this.socket) return;
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      transports: ['websocket', 'polling'],
      // Read at every (re)connection: a renewed token, or a new sign-in, is used without a reload.
      auth: (cb) => void session.freshToken().then((token) => cb({ token: token ?? '' })),
    });
    this.socket = socket;
    // A heartbeat: a board whose server has gone silent (a frozen connection the socket has not
    // noticed yet) must not look live. Each answer also keeps the clock's skew correction fresh.
    this.heartbeat = setInterval(() => {
      if (socket.connected) this.probeClock(socket);
    }, HEARTBEAT_MS);
    new LiveFeed(socket, {
      onHello: (hello) => {
        serverClock.syncFromStamp(hello.serverTime);
        this.heard();
        this.probeClock(socket);
        // The snapshot read after the first hello covers everything up to its lastSeq.
        if (!this.loaded) void this.loadSnapshot();
      },
      onEvent: (event) => this.apply(event),
      // Too long away to replay: start again from a fresh snapshot (tickets closed meanwhile go).
      onResync: () => {
        this.board.clear();
        void this.loadSnapshot();
      },
      onStatus: (status) => {
        if (status === 'unauthorized') {
          session.forget();
          socket.disconnect();
          this.status = 'signed_out';
        } else {
          this.status = status;
        }
      },
    });
  }

  /** Leaves the screen: the next connect starts again from a fresh snapshot. */
  disconnect(): void {
    clearInterval(this.heartbeat);
    this.socket?.disconnect();
    this.socket = undefined;
    this.board.clear();
    this.loaded = false;
    this.tickets = [];
    this.devicesOffline = [];
    this.onDuty = null;
    this.staff = [];
    this.status = 'connecting';
  }

  /** A ticket as an HTTP answer returned it (the push brings the same version moments later). */
  upsert(ticket: TicketView): void {
    if (this.board.load([ticket]) > 0) this.publish();
  }

  private async loadSnapshot(): Promise<void> {
    // Every open ticket, page by page: a busy estate has more than one page open, and a board
    // that showed only the newest 500 would undercount the column totals without saying so.
    const items: TicketPage['items'] = [];
    let cursor: string | null = null;
    do {
      const response = await apiFetch(`/api/tickets?status=open&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      if (!response.ok) return;
      const page = (await response.json()) as TicketPage;
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    this.board.load(items);
    this.loaded = true;
    this.publish();
    await this.loadStaff();
    if (session.user && hasPermission(session.user.role, 'device.read')) {
      await this.readThenReplay(async () => {
        const devices = await apiFetch('/api/devices');
        if (devices.ok) this.devicesOffline = ((await devices.json()) as DeviceStatus[]).filter((device) => device.offlineSince);
      });
    }
  }

  /** Runs `read`, then applies again the device and duty events heard while it ran. */
  private async readThenReplay(read: () => Promise<void>): Promise<void> {
    const heard: AnyDomainEvent[] = [];
    this.readsInFlight.add(heard);
    try {
      await read();
    } finally {
      this.readsInFlight.delete(heard);
    }
    for (const event of heard) this.applyToLists(event);
  }

  private probeClock(socket: Socket<ServerToClientEvents, ClientToServerEvents>): void {
    const sentAt = Date.now();
    socket.emit('time', (serverTime) => {
      serverClock.syncFromProbe(serverTime, sentAt, Date.now());
      this.heard();
    });
  }

  /** Silent longer than STALE_AFTER_MS while it says live: the screen greys out. */
  isStale(nowLocalMs: number): boolean {
    return this.status === 'live' && nowLocalMs - this.lastHeard > STALE_AFTER_MS;
  }

  private heard(): void {
    this.lastHeard = Date.now();
  }

  private apply(event: AnyDomainEvent): void {
    this.heard();
    for (const heard of this.readsInFlight) heard.push(event);
    this.applyToLists(event);
    // A new plan for a day: the shifts each person has are read again.
    if (event.type === 'roster.changed' && this.onDuty) void this.loadStaff();
    if (this.board.apply(event)) this.publish();
    this.lastSeq = this.board.lastSeq;
  }

  /** Who is on duty and which devices are silent, from one event (applying it twice changes nothing). */
  private applyToLists(event: AnyDomainEvent): void {
    if (event.type === 'staff.shift_changed' && this.onDuty) {
      const { staff, onDuty } = (event as DomainEvent<'staff.shift_changed'>).data;
      this.staff = this.staff.map((one) => (one.id === staff.id ? { ...one, onDuty } : one));
      this.countOnDuty();
    }
    if (event.type === 'device.offline' || event.type === 'device.online') {
      const { device } = (event as DomainEvent<'device.offline'>).data;
      this.devicesOffline = [...this.devicesOffline.filter((one) => one.id !== device.id), ...(event.type === 'device.offline' ? [device] : [])];
    }
  }

  private async loadStaff(): Promise<void> {
    if (!session.user || !hasPermission(session.user.role, 'staff.list')) return;
    await this.readThenReplay(async () => {
      const staff = await apiFetch('/api/staff');
      if (staff.ok) {
        this.staff = (await staff.json()) as StaffLoad[];
        this.countOnDuty();
      }
    });
  }

  /** Field staff of a department on the roster at `nowMs` who have not started their shift (排班未到岗). */
  absent(department: Department, nowMs: number): number {
    return this.staff.filter((one) => one.role === 'field' && one.department === department && !one.onDuty && onRosterAt(one.shifts, nowMs)).length;
  }

  private countOnDuty(): void {
    const counts: Partial<Record<Department, number>> = {};
    for (const one of this.staff) if (one.role === 'field') counts[one.department] = (counts[one.department] ?? 0) + (one.onDuty ? 1 : 0);
    this.onDuty = counts;
  }

  private publish(): void {
    this.tickets = [...this.board.tickets.values()];
    this.lastSeq = this.board.lastSeq;
  }
}

export const liveBoard = new LiveBoard();
