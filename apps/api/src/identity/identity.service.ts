import { randomBytes } from 'node:crypto';
import { Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Actor } from '@dispatch/domain';
import { hash, verify } from 'argon2';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/env';
import { StaffEntity } from '../estate/estate.entity';

interface AccessClaims {
  sub: string;
}

export interface LoginResult {
  accessToken: string;
  expiresIn: number;
  user: Actor;
}


@Injectable()
export class IdentityService {
  private readonly logger = new Logger('Identity');
  private readonly secret: string;
  private readonly ttlSeconds: number;
  /** Verified when the username is unknown, so both paths cost the same time. */
  private dummyHash?: Promise<string>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    config: ConfigService<AppConfig, true>,
  ) {
    const configured = config.get('JWT_SECRET', { infer: true });
    if (!configured) this.logger.warn('JWT_SECRET not set: using a random secret, tokens end with this process');
    this.secret = configured ?? randomBytes(32).toString('hex');
    this.ttlSeconds = config.get('ACCESS_TOKEN_TTL_SECONDS', { infer: true });
  }

  async login(username: string, password: string): Promise<LoginResult> {
    const staff = await this.dataSource.getRepository(StaffEntity).findOne({ where: { username } });
    this.dummyHash ??= hash(randomBytes(16).toString('hex'));
    const valid = await verify(staff?.passwordHash ?? (await this.dummyHash), password).catch(() => false);
    if (!staff || !valid || !staff.active) throw new UnauthorizedException('Wrong username or password');
    const accessToken = await this.jwt.signAsync({ sub: staff.id } satisfies AccessClaims, {
      secret: this.secret,
      expiresIn: this.ttlSeconds,
    });
    return { accessToken, expiresIn: this.ttlSeconds, user: toActor(staff) };
  }

  /** The staff member behind a bearer token, re-read so a disabled account stops at once. */
  async actorFromToken(token: string): Promise<Actor> {
    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims>(token, { secret: this.secret });
    } catch {
      throw new UnauthorizedException('Invalid or expired token');
    }
    const staff = await this.dataSource.getRepository(StaffEntity).findOne({ where: { id: claims.sub } });
    if (!staff || !staff.active) throw new UnauthorizedException('Account disabled');
    return toActor(staff);
  }
}

export function toActor(staff: StaffEntity): Actor {
  return { id: staff.id, name: staff.name, role: staff.role, department: staff.department };
}
