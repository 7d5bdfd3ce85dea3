import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import type { AppConfig } from '../config/env';
import { AuthGuard } from './auth.guard';
import { IdentityController } from './identity.controller';
import { IdentityService } from './identity.service';
import { LoginThrottlerGuard } from './login-throttler.guard';
import { SessionEvents } from './session-events';
import { StaffController } from './staff.controller';

@Global()
@Module({
  imports: [
    JwtModule.register({}),
    // Sign-in attempts per minute, per address and username (in-process counters).
    ThrottlerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => [{ ttl: 60_000, limit: config.get('LOGIN_ATTEMPTS_PER_MINUTE', { infer: true }) }],
    }),
  ],
  controllers: [IdentityController, StaffController],
  providers: [IdentityService, SessionEvents, LoginThrottlerGuard, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [IdentityService, SessionEvents],
})
export class IdentityModule {}
