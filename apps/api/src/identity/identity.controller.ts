import { Body, Controller, Get, HttpCode, Post, Req, Res, UnauthorizedException } from '@nestjs/common';
import type { CookieOptions, Request, Response } from 'express';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Actor } from '@dispatch/domain';
import { CurrentActor, type ActorRequest } from './current-actor.decorator';
import { LoginDto, RefreshDto, type RefreshDelivery } from './dto/login.dto';
import { IdentityService, type SessionTokens } from './identity.service';
import { Public } from './public.decorator';

/** The refresh token's cookie: sent only to /api/auth, never to another site, never readable by scripts. */
export const REFRESH_COOKIE = 'dispatch_refresh';

/** What a sign-in or renewal answers: the refresh token only when it was asked for in the body. */
export type SessionAnswer = Omit<SessionTokens, 'refreshToken'> & { refreshToken?: string };

@ApiTags('auth')
@Controller('auth')
export class IdentityController {
  constructor(private readonly identity: IdentityService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ description: '{accessToken (15 min), expiresIn, user: {id, name, role, department}}; the refresh token as a cookie, or as refreshToken with refreshIn: body' })
  @ApiUnauthorizedResponse({ description: 'wrong username or password' })
  @ApiTooManyRequestsResponse({ description: 'too many failed attempts for this username from this address, or from this address; Retry-After says when to try again' })
  async login(@Body() body: LoginDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<SessionAnswer> {
    const tokens = await this.identity.login(body.username, body.password, request.ip ?? '');
    return this.deliver(tokens, body.refreshIn ?? 'cookie', request, response);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({ description: 'new tokens, delivered as the spent refresh token came (cookie or body)' })
  @ApiUnauthorizedResponse({ description: 'no refresh token, or the session ended (a reused token ends it)' })
  @ApiTooManyRequestsResponse({ description: 'too many renewals of this session; Retry-After says when to try again' })
  async refresh(@Body() body: RefreshDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<SessionAnswer> {
    const fromCookie = (request.cookies as Record<string, string> | undefined)?.[REFRESH_COOKIE];
    const presented = body.refreshToken ?? fromCookie;
    if (!presented) throw new UnauthorizedException('No refresh token');
    const delivery: RefreshDelivery = body.refreshToken ? 'body' : 'cookie';
    try {
      return this.deliver(await this.identity.refresh(presented, request.ip ?? ''), delivery, request, response);
    } catch (error) {
      // A cookie that no longer opens a session is dropped, so the browser stops presenting it.
      if (delivery === 'cookie' && error instanceof UnauthorizedException) response.clearCookie(REFRESH_COOKIE, cookieOptions(request));
      throw error;
    }
  }

  /** Ends this sign-in: its tokens stop working, its open sockets are disconnected, its cookie dropped. */
  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  async logout(@Req() request: ActorRequest & Request, @Res({ passthrough: true }) response: Response, @CurrentActor() actor: Actor): Promise<void> {
    response.clearCookie(REFRESH_COOKIE, cookieOptions(request));
    if (!request.sessionId) return;
    await this.identity.logout(request.sessionId, actor, request.ip ?? '');
  }

  @Get('me')
  @ApiBearerAuth()
  me(@CurrentActor() actor: Actor): Actor {
    return actor;
  }

  private deliver(tokens: SessionTokens, delivery: RefreshDelivery, request: Request, response: Response): SessionAnswer {
    if (delivery === 'body') return tokens;
    const { refreshToken, ...answer } = tokens;
    response.cookie(REFRESH_COOKIE, refreshToken, { ...cookieOptions(request), maxAge: this.identity.sessionTtlSeconds * 1000 });
    return answer;
  }
}

/** httpOnly, SameSite=Strict, on /api/auth only; Secure whenever the request came over https (directly or through a trusted proxy). */
function cookieOptions(request: Request): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', path: '/api/auth', secure: request.secure };
}
