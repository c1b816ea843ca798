import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { TransactionJson } from '../../libs/ledger/src';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/auth.decorators';
import { Page } from '../common/pagination';
import { notFoundOnBadUuid } from '../common/uuid.pipe';
import { TransactionPageDto, TransactionQuery, TransactionWithEntriesDto } from './dto/transaction.dto';
import { TransactionsService } from './transactions.service';
import { ApiProblems } from '../common/problem.dto';

@ApiTags('transactions')
@ApiBearerAuth()
@ApiProblems(400, 401, 404, 429)
@Controller('transactions')
export class TransactionsController {
  constructor(private readonly transactions: TransactionsService) {}

  @Get()
  @ApiOkResponse({ type: TransactionPageDto })
  list(@CurrentUser() user: AuthUser, @Query() query: TransactionQuery): Promise<Page<TransactionJson>> {
    return this.transactions.list(user, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: TransactionWithEntriesDto })
  get(@CurrentUser() user: AuthUser, @Param('id', notFoundOnBadUuid) id: string) {
    return this.transactions.get(user, id);
  }
}
