import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Actor } from '@dispatch/domain';
import { CurrentActor } from './current-actor.decorator';
import { LoginDto } from './dto/login.dto';
import { IdentityService, type LoginResult } from './identity.service';
import { Public } from './public.decorator';

@ApiTags('auth')
@Controller('auth')
export class IdentityController {
  constructor(private readonly identity: IdentityService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ description: '{accessToken, expiresIn, user: {id, name, role, department}}' })
  @ApiUnauthorizedResponse({ description: 'wrong username or password' })
  login(@Body() body: LoginDto): Promise<LoginResult> {
    return this.identity.login(body.username, body.password);
  }

  @Get('me')
  @ApiBearerAuth()
  me(@CurrentActor() actor: Actor): Actor {
    return actor;
  }
}
