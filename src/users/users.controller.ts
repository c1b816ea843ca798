import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { UserDto } from './user.dto';
import { presentUser, UserJson, UsersService } from './users.service';
import { notFoundOnBadUuid } from '../common/uuid.pipe';
import { ApiProblems } from '../common/problem.dto';

@ApiTags('users')
@ApiBearerAuth()
@ApiProblems(401, 403, 404, 429)
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @ApiOkResponse({ type: UserDto })
  async me(@CurrentUser() user: AuthUser): Promise<UserJson> {
    return presentUser(await this.users.get(user.id));
  }

  @Get(':id')
  @Roles('admin')
  @ApiOkResponse({ type: UserDto })
  async get(@Param('id', notFoundOnBadUuid) id: string): Promise<UserJson> {
    return presentUser(await this.users.get(id));
  }
}
