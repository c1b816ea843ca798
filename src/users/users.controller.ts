import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ChangePasswordDto, UpdateUserDto, UserDto } from './user.dto';
import { presentUser, UsersService } from './users.service';
import { notFoundOnBadUuid } from '../common/uuid.pipe';
import { ApiProblems } from '../common/problem.dto';
import { ThrottlePolicy } from '../throttling/throttle-policy.decorator';
import type { User } from '../../libs/contract/src';

@ApiTags('users')
@ApiBearerAuth()
@ApiProblems(401, 403, 404, 429)
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @ApiOkResponse({ type: UserDto })
  async me(@CurrentUser() user: AuthUser): Promise<User> {
    return presentUser(await this.users.get(user.id));
  }

  @Post('me/password')
  @HttpCode(204)
  @ThrottlePolicy('login')
  @ApiNoContentResponse({ description: 'Changed; every token issued before stops working' })
  @ApiProblems(400)
  async changePassword(@CurrentUser() user: AuthUser, @Body() body: ChangePasswordDto): Promise<void> {
    await this.users.changePassword(user, body.currentPassword, body.newPassword);
  }

  @Get(':id')
  @Roles('admin')
  @ApiOkResponse({ type: UserDto })
  @ApiParam({ name: 'id', example: '5d1c2a7e-8b3f-4c1d-9e2a-7f6b5c4d3e2a', description: 'a user id' })
  async get(@Param('id', notFoundOnBadUuid) id: string): Promise<User> {
    return presentUser(await this.users.get(id));
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOkResponse({ type: UserDto })
  @ApiProblems(400, 422)
  @ApiParam({ name: 'id', example: '5d1c2a7e-8b3f-4c1d-9e2a-7f6b5c4d3e2a', description: 'a user id' })
  async update(@CurrentUser() caller: AuthUser, @Param('id', notFoundOnBadUuid) id: string, @Body() body: UpdateUserDto): Promise<User> {
    return presentUser(await this.users.update(caller, id, body));
  }
}
