import { randomBytes } from 'node:crypto';
import { Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Actor, EventActor } from '@dispatch/domain';
import { hash, verify } from 'argon2';
import { DataSource } from 'typeorm';
import { hashToken, tokenMatches } from '../common/token-hash';
import type { AppConfig } from '../config/env';
import { StaffEntity } from '../estate/estate.entity';
import { EventLogService } from '../events/event-log.service';
import { SessionEvents } from './session-events';
import { SignInLimits } from './sign-in-limits';

interface AccessClaims {
  sub: string;
  sid: string;
}

export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  /** Seconds the access token is valid. */
  expiresIn: number;
  user: Actor;
}

/** The staff member behind a request or socket, and the sign-in it came through. */
export interface Authenticated {
  actor: Actor;
  sessionId: string;
}

/**
 * Sign-in: short-lived bearer access tokens bound to a server-side session that every request
 * and socket handshake checks, so logout and disabling an account take effect at once;
 * rotating refresh tokens (`<session id>.<secret>`, stored hashed) renew them. A refresh
 * token presented twice means it was copied: the session is revoked.
 */
@Injectable()
export class IdentityService {
  private readonly logger = new Logger('Identity');
  private readonly secret: string;
  private readonly accessTtl: number;
  private readonly sessionTtl: number;
  /** Verified when the username is unknown, so both paths cost the same time. */
  private dummyHash?: Promise<string>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    config: ConfigService<AppConfig, true>,
    private readonly sessions: SessionEvents,
    private readonly limits: SignInLimits,
    private readonly log: EventLogService,
  ) {
    const configured = config.get('JWT_SECRET', { infer: true });
    if (!configured) this.logger.warn('JWT_SECRET not set: using a random secret, tokens end with this process');
    this.secret = configured ?? randomBytes(32).toString('hex');
    this.accessTtl = config.get('ACCESS_TOKEN_TTL_SECONDS', { infer: true });
    this.sessionTtl = config.get('SESSION_TTL_SECONDS', { infer: true });
  }

  /** How long a sign-in lasts without renewal (the refresh cookie's lifetime). */
  get sessionTtlSeconds(): number {
    return this.sessionTtl;
  }

  /** Signs in from `address` (the client's, through trusted proxies), within the sign-in limits. */
  async login(username: string, password: string, address: string): Promise<SessionTokens> {
    await this.limits.attempt(username, address);
    const tokens = await this.verifyAndOpenSession(username, password, address).catch(async (error: unknown) => {
      if (error instanceof UnauthorizedException) await this.limits.failed(username);
      throw error;
    });
    await this.limits.succeeded(username, address);
    return tokens;
  }

  private async verifyAndOpenSession(username: string, password: string, address: string): Promise<SessionTokens> {
    const staff = await this.dataSource.getRepository(StaffEntity).findOne({ where: { username } });
    this.dummyHash ??= hash(randomBytes(16).toString('hex'));
    const valid = await verify(staff?.passwordHash ?? (await this.dummyHash), password).catch(() => false);
    if (!staff || !valid || !staff.active) throw new UnauthorizedException('Wrong username or password');
    const refreshSecret = randomBytes(32).toString('base64url');
    const now = new Date();
    const session = await this.dataSource.transaction(async (db) => {
      const [opened] = await db.query<Array<{ id: string }>>(
        `INSERT INTO staff_session (staff_id, refresh_hash, created_at, expires_at) VALUES ($1, $2, $3, $4) RETURNING id`,
        [staff.id, hashToken(refreshSecret), now, new Date(now.getTime() + this.sessionTtl * 1000)],
      );
      await this.log.append(db, { type: 'access.signed_in', actor: staff.id, data: { staff: eventActorOf(staff), address } }, now);
      return opened;
    });
    return this.tokens(toActor(staff), session.id, refreshSecret);
  }

  async refresh(refreshToken: string, address: string): Promise<SessionTokens> {
    await this.limits.refresh(refreshToken);
    const [sessionId, secret] = refreshToken.split('.');
    if (!sessionId || !secret || !/^[0-9a-f-]{36}$/.test(sessionId)) throw new UnauthorizedException('Invalid refresh token');
    const outcome = await this.dataSource.transaction(async (db) => {
      const [session] = await db.query<Array<{ staff_id: string; refresh_hash: string; expires_at: Date; revoked_at: Date | null }>>(
        'SELECT staff_id, refresh_hash, expires_at, revoked_at FROM staff_session WHERE id = $1 FOR UPDATE',
        [sessionId],
      );
      if (!session || session.revoked_at || new Date(session.expires_at).getTime() < Date.now()) return 'ended' as const;
      if (!tokenMatches(secret, session.refresh_hash)) {
        // An old refresh token came back: someone kept a copy. End the session for everyone
        // holding it; committed before the refusal, so the refusal cannot undo it.
        await db.query(`UPDATE staff_session SET revoked_at = now(), revoked_reason = 'refresh token reused' WHERE id = $1`, [sessionId]);
        const owner = await db.findOne(StaffEntity, { where: { id: session.staff_id } });
        if (owner) {
          await this.log.append(db, { type: 'access.session_revoked', actor: owner.id, data: { staff: eventActorOf(owner), reason: 'refresh token reused', address } }, new Date());
        }
        return 'reused' as const;
      }
      const staff = await db.findOne(StaffEntity, { where: { id: session.staff_id } });
      if (!staff || !staff.active) return 'disabled' as const;
      const next = randomBytes(32).toString('base64url');
      await db.query('UPDATE staff_session SET refresh_hash = $2, last_refreshed_at = now() WHERE id = $1', [sessionId, hashToken(next)]);
      return this.tokens(toActor(staff), sessionId, next);
    });
    if (outcome === 'ended') throw new UnauthorizedException('Session ended');
    if (outcome === 'reused') {
      this.sessions.ended({ sessionId });
      throw new UnauthorizedException('Refresh token already used; signed out');
    }
    if (outcome === 'disabled') throw new UnauthorizedException('Account disabled');
    return outcome;
  }

  async logout(sessionId: string, actor: Actor, address: string): Promise<void> {
    await this.dataSource.transaction(async (db) => {
      const [, ended] = await db.query<[unknown, number]>(`UPDATE staff_session SET revoked_at = now(), revoked_reason = 'logout' WHERE id = $1 AND revoked_at IS NULL`, [sessionId]);
      if (ended > 0) await this.log.append(db, { type: 'access.signed_out', actor: actor.id, data: { staff: eventActorOf(actor), address } }, new Date());
    });
    this.sessions.ended({ sessionId });
  }

  /**
   * An admin disables (or enables again) an account; disabling ends every sign-in at once
   * and disconnects its sockets on every process. Recorded with who did it.
   */
  async setActive(staffId: string, active: boolean, by: Actor): Promise<(Actor & { active: boolean }) | null> {
    const staff = await this.dataSource.transaction(async (db) => {
      const found = await db.findOne(StaffEntity, { where: { id: staffId }, lock: { mode: 'pessimistic_write' } });
      if (!found) return null;
      found.active = active;
      await db.save(StaffEntity, found);
      if (!active) await db.query(`UPDATE staff_session SET revoked_at = now(), revoked_reason = 'account disabled' WHERE staff_id = $1 AND revoked_at IS NULL`, [staffId]);
      await this.log.append(db, { type: 'access.account_changed', actor: by.id, data: { staff: eventActorOf(found), active, actor: eventActorOf(by) } }, new Date());
      return found;
    });
    if (!staff) return null;
    if (!active) this.sessions.ended({ staffId });
    return { ...toActor(staff), active: staff.active };
  }

  /** The staff member and session behind a bearer token: signature, expiry, live session, active account. */
  async authenticate(token: string): Promise<Authenticated> {
    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims>(token, { secret: this.secret });
    } catch {
      throw new UnauthorizedException('Invalid or expired token');
    }
    const [row] = await this.dataSource.query<Array<{ id: string; name: string; role: Actor['role']; department: Actor['department'] }>>(
      `SELECT s.id, s.name, s.role, s.department
         FROM staff s JOIN staff_session ss ON ss.staff_id = s.id
        WHERE s.id = $1 AND ss.id = $2 AND s.active AND ss.revoked_at IS NULL AND ss.expires_at > now()`,
      [claims.sub, claims.sid],
    );
    if (!row) throw new UnauthorizedException('Signed out or account disabled');
    return { actor: row, sessionId: claims.sid };
  }

  async actorFromToken(token: string): Promise<Actor> {
    return (await this.authenticate(token)).actor;
  }

  private async tokens(actor: Actor, sessionId: string, refreshSecret: string): Promise<SessionTokens> {
    const accessToken = await this.jwt.signAsync({ sub: actor.id, sid: sessionId } satisfies AccessClaims, {
      secret: this.secret,
      expiresIn: this.accessTtl,
    });
    return { accessToken, refreshToken: `${sessionId}.${refreshSecret}`, expiresIn: this.accessTtl, user: actor };
  }
}

/** Who, as the log names people: id, name and role (never a phone, a password or a token). */
function eventActorOf(person: Pick<Actor, 'id' | 'name' | 'role'>): EventActor {
  return { id: person.id, name: person.name, role: person.role };
}

export function toActor(staff: StaffEntity): Actor {
  return { id: staff.id, name: staff.name, role: staff.role, department: staff.department };
}
