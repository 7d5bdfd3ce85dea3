import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Actor } from '@dispatch/domain';
import { CurrentActor, type ActorRequest } from './current-actor.decorator';
import { LoginDto, RefreshDto } from './dto/login.dto';
import { IdentityService, type SessionTokens } from './identity.service';
import { LoginThrottlerGuard } from './login-throttler.guard';
import { Public } from './public.decorator';
import { SessionEvents } from './session-events';

@ApiTags('auth')
@Controller('auth')
export class IdentityController {
  constructor(
    private readonly identity: IdentityService,
    private readonly sessions: SessionEvents,
  ) {}

  @Public()
  @UseGuards(LoginThrottlerGuard)
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ description: '{accessToken (15 min), refreshToken, expiresIn, user: {id, name, role, department}}' })
  @ApiUnauthorizedResponse({ description: 'wrong username or password' })
  @ApiTooManyRequestsResponse({ description: 'too many attempts for this username from this address' })
  login(@Body() body: LoginDto): Promise<SessionTokens> {
    return this.identity.login(body.username, body.password);
  }

  @Public()
  @UseGuards(LoginThrottlerGuard)
  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({ description: 'new tokens; the refresh token presented is spent' })
  refresh(@Body() body: RefreshDto): Promise<SessionTokens> {
    return this.identity.refresh(body.refreshToken);
  }

  /** Ends this sign-in: its tokens stop working and its open sockets are disconnected. */
  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  async logout(@Req() request: ActorRequest): Promise<void> {
    if (!request.sessionId) return;
    await this.identity.logout(request.sessionId);
    this.sessions.ended({ sessionId: request.sessionId });
  }

  @Get('me')
  @ApiBearerAuth()
  me(@CurrentActor() actor: Actor): Actor {
    return actor;
  }
}
