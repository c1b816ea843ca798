import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { UserDto } from '../users/user.dto';
import { presentUser, UsersService } from '../users/users.service';
import { ThrottlePolicy } from '../throttling/throttle-policy.decorator';
import { CurrentUser, Public } from './auth.decorators';
import { AuthUser } from './auth-user';
import { AuthService } from './auth.service';
import { LoginDto, TokenDto } from './dto/login.dto';
import { RegisterDto } from './dto/register.dto';
import { ApiProblems } from '../common/problem.dto';
import type { User } from '../../libs/contract/src';

@ApiTags('auth')
@ApiProblems(400, 401, 409, 429)
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  @Post('register')
  @Public()
  @ThrottlePolicy('register')
  @ApiCreatedResponse({ type: UserDto })
  async register(@Body() body: RegisterDto): Promise<User> {
    return presentUser(await this.users.create(body.email, body.password, body.name));
  }

  @Post('login')
  @Public()
  @HttpCode(200)
  @ThrottlePolicy('login')
  @ApiOkResponse({ type: TokenDto })
  login(@Body() body: LoginDto): Promise<TokenDto> {
    return this.auth.login(body.email, body.password);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'Every token issued to the caller so far stops working' })
  async logout(@CurrentUser() user: AuthUser): Promise<void> {
    await this.users.revokeTokens(user);
  }
}
