import { Module } from '@nestjs/common';
import { CurrentAccounts } from './current-accounts';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  controllers: [UsersController],
  providers: [UsersService, CurrentAccounts],
  exports: [UsersService, CurrentAccounts],
})
export class UsersModule {}
