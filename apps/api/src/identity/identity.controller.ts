import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Actor } from '@dispatch/domain';
import { CurrentActor, type ActorRequest } from './current-actor.decorator';
import { LoginDto, RefreshDto } from './dto/login.dto';
import { IdentityService, type SessionTokens } from './identity.service';
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
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ description: '{accessToken (15 min), refreshToken, expiresIn, user: {id, name, role, department}}' })
  @ApiUnauthorizedResponse({ description: 'wrong username or password' })
  @ApiTooManyRequestsResponse({ description: 'too many failed attempts for this username from this address, or from this address; Retry-After says when to try again' })
  login(@Body() body: LoginDto, @Req() request: Request): Promise<SessionTokens> {
    return this.identity.login(body.username, body.password, request.ip ?? '');
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({ description: 'new tokens; the refresh token presented is spent' })
  @ApiTooManyRequestsResponse({ description: 'too many renewals of this session; Retry-After says when to try again' })
  refresh(@Body() body: RefreshDto, @Req() request: Request): Promise<SessionTokens> {
    return this.identity.refresh(body.refreshToken, request.ip ?? '');
  }

  /** Ends this sign-in: its tokens stop working and its open sockets are disconnected. */
  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  async logout(@Req() request: ActorRequest & Request, @CurrentActor() actor: Actor): Promise<void> {
    if (!request.sessionId) return;
    await this.identity.logout(request.sessionId, actor, request.ip ?? '');
  }

  @Get('me')
  @ApiBearerAuth()
  me(@CurrentActor() actor: Actor): Actor {
    return actor;
  }
}
