/**
 * `npm run bench:alarms`: 200 simulated alarm panels, each on its own TCP connection, send
 * 1,000 DC-09 messages a second together for 30 s (BENCH_SECONDS): link tests (NULL) and,
 * one in BENCH_ALARM_SHARE, a Contact ID burglary or its restore on one of the panel's zones.
 * Measures the ACK latency (send to ACK received) p50/p99/max, the rate achieved, and
 * messages lost: any message not ACKed, and any ACKed alarm with no delivery row in the
 * database once the receiver's journal is taken (an ACK means the message was committed to the
 * journal, so there must be none). How far the alarms lag behind their ACKs shows as the
 * journal's backlog, sampled through the run, the time it takes to drain after the last
 * message, and the time from a message received to its alarm pushed to the desk (p50/p99).
 * Beside it, the floor:
 * a bare TCP echo that answers each frame at once, through the same clients. Prints figures;
 * asserts nothing.
 */
import { createServer, connect, type Socket } from 'node:net';
import { Client } from 'pg';
import { panelFrame } from '../test/support/dc09-panel';
import { io } from 'socket.io-client';
import { BENCH_DATABASE_URL, freshDatabase, login, percentile, rssMb, sleep, startApi } from './support';

const PANELS = Number(process.env.BENCH_PANELS ?? 200);
const RATE = Number(process.env.BENCH_RATE ?? 1_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const ALARM_SHARE = Number(process.env.BENCH_ALARM_SHARE ?? 10);

interface Outcome {
  sent: number;
  acked: number;
  refused: number;
  unanswered: number;
  latencies: number[];
  burglariesAcked: number;
  restoresAcked: number;
  elapsedMs: number;
}

const account = (panel: number) => `B${panel.toString(16).toUpperCase().padStart(3, '0')}`;

/** One panel: a message every PANELS/RATE seconds, each sent once its ACK came back (as a panel does). */
async function panel(port: number, index: number, until: number, outcome: Outcome): Promise<void> {
  const socket: Socket = connect(port, '127.0.0.1');
  await new Promise<void>((done, fail) => socket.once('connect', () => done()).once('error', fail));
  socket.setNoDelay(true);
  let buffer = '';
  let waiting: ((answer: string | null) => void) | null = null;
  socket.on('data', (chunk) => {
    buffer += chunk.toString('latin1');
    let end: number;
    while ((end = buffer.indexOf('\r')) >= 0) {
      const answer = buffer.slice(0, end + 1);
      buffer = buffer.slice(end + 1);
      waiting?.(answer);
    }
  });
  socket.on('close', () => waiting?.(null));
  const interval = (PANELS / RATE) * 1_000;
  let next = Date.now() + Math.random() * interval;
  // Panels are not in step: each starts from its own sequence number, so alarms spread over the run.
  let sequence = Math.floor(Math.random() * 1000);
  while (Date.now() < until) {
    await sleep(Math.max(0, next - Date.now()));
    next += interval;
    sequence = (sequence % 9999) + 1;
    const alarm = sequence % ALARM_SHARE === 0;
    const zone = String(1 + (Math.floor(sequence / ALARM_SHARE) % 8)).padStart(3, '0');
    // Burglary then restore, alternately, so the open alarms end and new ones open.
    const event = Math.floor(sequence / ALARM_SHARE) % 2 === 1 ? `1130 01 ${zone}` : `3130 01 ${zone}`;
    const frame = alarm
      ? panelFrame({ id: 'ADM-CID', sequence, account: account(index), data: `#${account(index)}|${event}` })
      : panelFrame({ id: 'NULL', sequence, account: account(index), data: '' });
    const sentAt = performance.now();
    const answer = await new Promise<string | null>((done) => {
      waiting = done;
      const timer = setTimeout(() => done(null), 10_000);
      socket.write(frame, 'latin1', () => undefined);
      waiting = (value) => {
        clearTimeout(timer);
        done(value);
      };
    });
    waiting = null;
    outcome.sent++;
    if (answer === null) outcome.unanswered++;
    else if (answer.includes('"ACK"')) {
      outcome.acked++;
      outcome.latencies.push(performance.now() - sentAt);
      if (alarm && event.startsWith('1')) outcome.burglariesAcked++;
      else if (alarm) outcome.restoresAcked++;
    } else outcome.refused++;
  }
  socket.destroy();
}

async function drive(port: number): Promise<Outcome> {
  const outcome: Outcome = { sent: 0, acked: 0, refused: 0, unanswered: 0, latencies: [], burglariesAcked: 0, restoresAcked: 0, elapsedMs: 0 };
  const started = Date.now();
  await Promise.all(Array.from({ length: PANELS }, (_, index) => panel(port, index, started + SECONDS * 1_000, outcome)));
  outcome.elapsedMs = Date.now() - started;
  return outcome;
}

function report(name: string, outcome: Outcome, extra = ''): void {
  const sorted = [...outcome.latencies].sort((a, b) => a - b);
  const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
  console.log(
    `${name.padEnd(22)} ${outcome.sent} sent (${Math.round(outcome.sent / (outcome.elapsedMs / 1000))}/s), ${outcome.acked} ACK, ${outcome.refused} NAK/DUH, ${outcome.unanswered} unanswered; ` +
      `ACK latency p50 ${fmt(percentile(sorted, 50))}, p99 ${fmt(percentile(sorted, 99))}, max ${fmt(sorted.at(-1) ?? Number.NaN)}${extra}`,
  );
}

/** The floor: the same frames answered at once by a bare TCP server (no parsing, no database). */
async function floor(): Promise<Outcome> {
  const server = createServer((socket) => {
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      let end: number;
      while ((end = buffer.indexOf('\r')) >= 0) {
        buffer = buffer.slice(end + 1);
        socket.write('\n0000"ACK"0001R0L0#0[]\r');
      }
    });
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const port = (server.address() as { port: number }).port;
  const outcome = await drive(port);
  await new Promise<void>((done) => server.close(() => done()));
  return outcome;
}

async function main(): Promise<void> {
  console.log(`bench:alarms: ${PANELS} panels, ${RATE} messages/s for ${SECONDS} s, 1 in ${ALARM_SHARE} an alarm or restore`);
  report('floor (TCP echo)', await floor());

  await freshDatabase();
  const receiverPort = 20_000 + Math.floor(Math.random() * 20_000);
  const api = await startApi({ DATABASE_URL: BENCH_DATABASE_URL, SEED_DEMO: '1', ALARM_RECEIVER_PORT: String(receiverPort), ALARM_RECEIVER_HOST: '127.0.0.1', WATCH_SWEEP_SECONDS: '0', ...(process.env.DB_POOL_SIZE ? { DB_POOL_SIZE: process.env.DB_POOL_SIZE } : {}) });
  const db = new Client({ connectionString: BENCH_DATABASE_URL });
  await db.connect();
  // 200 panels at units of the demo estate, each a device of its own; zones report through the panel.
  await db.query(
    `INSERT INTO device (id, estate_id, name, unit_id, key_hash, key_rotated_at, active)
     SELECT 'bench-panel-' || g, u.estate_id, '压测主机 ' || g, u.id, md5(random()::text), now(), true
       FROM generate_series(0, $1 - 1) g JOIN LATERAL (SELECT id, estate_id FROM unit ORDER BY code OFFSET g % 144 LIMIT 1) u ON true`,
    [PANELS],
  );
  await db.query(
    `INSERT INTO alarm_account (account, device_id) SELECT 'B' || upper(lpad(to_hex(g), 3, '0')), 'bench-panel-' || g FROM generate_series(0, $1 - 1) g`,
    [PANELS],
  );
  // The desk's view: each new alarm's push, against the time its message was received (one clock, one machine).
  const wallboard = io(api.url, { transports: ['websocket'], auth: { token: await login(api.url, 'dispatcher') } });
  const lags: number[] = [];
  wallboard.on('event', (event: { type: string; data: { ticket?: { receivedAt: string } } }) => {
    if (event.type === 'alarm.received' && event.data.ticket) lags.push(Date.now() - Date.parse(event.data.ticket.receivedAt));
  });
  await new Promise<void>((done, fail) => wallboard.once('connect', () => done()).once('connect_error', fail));
  let maxRss = 0;
  let maxBacklog = 0;
  const backlog = async () => Number((await db.query<{ count: string }>('SELECT count(*) FROM alarm_receipt')).rows[0].count);
  const sampler = setInterval(() => {
    maxRss = Math.max(maxRss, rssMb(api.child.pid));
    void backlog().then((count) => (maxBacklog = Math.max(maxBacklog, count)));
  }, 500);
  const outcome = await drive(receiverPort);
  clearInterval(sampler);
  const drainStarted = Date.now();
  while ((await backlog()) > 0 && Date.now() - drainStarted < 120_000) await sleep(100);
  const drainMs = Date.now() - drainStarted;
  const left = await backlog();
  await sleep(500); // the last pushes
  wallboard.close();
  lags.sort((a, b) => a - b);
  const [{ deliveries }] = (await db.query<{ deliveries: string }>(`SELECT count(*) AS deliveries FROM alarm_delivery WHERE device_id LIKE 'bench-panel-%'`)).rows;
  const [{ restores }] = (await db.query<{ restores: string }>(`SELECT count(*) AS restores FROM event_log WHERE type = 'alarm.restored'`)).rows;
  const [{ alarms }] = (await db.query<{ alarms: string }>(`SELECT count(*) AS alarms FROM alarm WHERE device_id LIKE 'bench-panel-%'`)).rows;
  // Each ACKed burglary is a delivery row (none may be missing); a restore is logged only when its alarm is open.
  const lost = outcome.sent - outcome.acked;
  report(
    'receiver (DC-09)',
    outcome,
    `; burglaries ACKed ${outcome.burglariesAcked} → delivery rows ${deliveries} (alarms ${alarms}); restores ACKed ${outcome.restoresAcked} → logged on an open alarm ${restores}; lost ${lost + Math.max(0, outcome.burglariesAcked - Number(deliveries))}; api RSS max ${maxRss.toFixed(0)} MB`,
  );
  console.log(
    `${'journal'.padEnd(22)} backlog max ${maxBacklog}, drained ${drainMs} ms after the last message (${left} left); message received to the alarm on the desk's socket p50 ${percentile(lags, 50).toFixed(1)} ms, p99 ${percentile(lags, 99).toFixed(1)} ms, max ${(lags.at(-1) ?? Number.NaN).toFixed(1)} ms`,
  );
  await db.end();
  await api.stop();
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
