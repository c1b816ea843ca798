import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import {ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { IdempotentRequest } from '../../libs/ledger/src';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/auth.decorators';
import { Page } from '../common/pagination';
import { notFoundOnBadUuid } from '../common/uuid.pipe';
import { Idempotency, sendIdempotent, IDEMPOTENCY_KEY_HEADER } from '../common/idempotency';
import { ThrottlePolicy } from '../throttling/throttle-policy.decorator';
import { CreateMultiLegDto } from './dto/movement.dto';
import { TransactionDto, TransactionPageDto, TransactionQuery, TransactionWithEntriesDto } from './dto/transaction.dto';
import { TransactionsService } from './transactions.service';
import { TransfersService } from './transfers.service';
import { ApiProblems } from '../common/problem.dto';
import type { Transaction } from '../../libs/contract/src';

@ApiTags('transactions')
@ApiBearerAuth()
@ApiProblems(400, 401, 404, 429)
@Controller('transactions')
export class TransactionsController {
  constructor(
    private readonly transactions: TransactionsService,
    private readonly transfers: TransfersService,
  ) {}

  @Post()
  @ThrottlePolicy('money')
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiCreatedResponse({ type: TransactionDto })
  @ApiProblems(403, 409, 422, 503)
  async create(@CurrentUser() user: AuthUser, @Body() body: CreateMultiLegDto, @Idempotency() key: IdempotentRequest, @Res({ passthrough: true }) res: Response) {
    return sendIdempotent(res, await this.transfers.multiLeg(user, body, key));
  }

  @Get()
  @ApiOkResponse({ type: TransactionPageDto })
  // A property of the query DTO cannot carry `style`: the wire form metadata[KEY]=VALUE is a deepObject.
  @ApiQuery({
    name: 'metadata',
    required: false,
    style: 'deepObject',
    explode: true,
    schema: { type: 'object', additionalProperties: { type: 'string', maxLength: 500 }, maxProperties: 1, example: { orderId: '1042' } },
    description: 'One exact key/value pair, written `metadata[orderId]=1042`',
  })
  list(@CurrentUser() user: AuthUser, @Query() query: TransactionQuery): Promise<Page<Transaction>> {
    return this.transactions.list(user, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: TransactionWithEntriesDto })
  @ApiParam({ name: 'id', example: '6c1f0b9e-2d4a-4e8b-b7c3-1a2b3c4d5e6f', description: 'a transaction id' })
  get(@CurrentUser() user: AuthUser, @Param('id', notFoundOnBadUuid) id: string) {
    return this.transactions.get(user, id);
  }
}
