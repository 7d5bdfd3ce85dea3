import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AuthGuard } from './auth.guard';
import { IdentityController } from './identity.controller';
import { IdentityService } from './identity.service';
import { SessionEvents } from './session-events';
import { SignInLimits } from './sign-in-limits';
import { StaffController } from './staff.controller';

@Global()
@Module({
  imports: [
    JwtModule.register({}),
  ],
  controllers: [IdentityController, StaffController],
  providers: [IdentityService, SessionEvents, SignInLimits, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [IdentityService, SessionEvents],
})
export class IdentityModule {}
