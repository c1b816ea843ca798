import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { IdempotentRequest } from '../../libs/ledger/src';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/auth.decorators';
import { Idempotency, sendIdempotent, IDEMPOTENCY_KEY_HEADER } from '../common/idempotency';
import { ApiProblems } from '../common/problem.dto';
import { ThrottlePolicy } from '../throttling/throttle-policy.decorator';
import { TransactionDto } from '../transfers/dto/transaction.dto';
import { CreateExchangeDto } from './dto/exchange.dto';
import { ExchangesService } from './exchanges.service';

@ApiTags('exchanges')
@ApiBearerAuth()
@ApiHeader(IDEMPOTENCY_KEY_HEADER)
@ApiProblems(400, 401, 404, 409, 422, 429, 503)
@ThrottlePolicy('money')
@Controller('exchanges')
export class ExchangesController {
  constructor(private readonly exchanges: ExchangesService) {}

  @Post()
  @ApiCreatedResponse({ type: TransactionDto, description: 'An EXCHANGE transaction of two postings; QUOTE_USED and QUOTE_EXPIRED are 409s' })
  async create(@CurrentUser() user: AuthUser, @Body() body: CreateExchangeDto, @Idempotency() key: IdempotentRequest, @Res({ passthrough: true }) res: Response) {
    return sendIdempotent(res, await this.exchanges.exchange(user, body, key));
  }
}
