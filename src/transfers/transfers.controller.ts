import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import {ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { IdempotentRequest } from '../../libs/ledger/src';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { Idempotency, sendIdempotent, IDEMPOTENCY_KEY_HEADER } from '../common/idempotency';
import { notFoundOnBadUuid } from '../common/uuid.pipe';
import { ThrottlePolicy } from '../throttling/throttle-policy.decorator';
import { CreateBonusDto, CreateReversalDto, CreateSpendDto, CreateTopUpDto, CreateTransferDto, CreateWithdrawalDto } from './dto/movement.dto';
import { TransactionDto } from './dto/transaction.dto';
import { TransfersService } from './transfers.service';
import { ApiProblems } from '../common/problem.dto';

@ApiTags('movements')
@ApiBearerAuth()
@ApiHeader(IDEMPOTENCY_KEY_HEADER)
@ApiProblems(400, 401, 403, 404, 409, 422, 429, 503)
@ThrottlePolicy('money')
@Controller()
export class TransfersController {
  constructor(private readonly transfers: TransfersService) {}

  @Post('transfers')
  @ApiCreatedResponse({ type: TransactionDto })
  async transfer(@CurrentUser() user: AuthUser, @Body() body: CreateTransferDto, @Idempotency() key: IdempotentRequest, @Res({ passthrough: true }) res: Response) {
    return sendIdempotent(res, await this.transfers.transfer(user, body, key));
  }

  @Post('spends')
  @ApiCreatedResponse({ type: TransactionDto })
  async spend(@CurrentUser() user: AuthUser, @Body() body: CreateSpendDto, @Idempotency() key: IdempotentRequest, @Res({ passthrough: true }) res: Response) {
    return sendIdempotent(res, await this.transfers.payOut('SPEND', user, body, key));
  }

  @Post('withdrawals')
  @ApiCreatedResponse({ type: TransactionDto })
  async withdraw(@CurrentUser() user: AuthUser, @Body() body: CreateWithdrawalDto, @Idempotency() key: IdempotentRequest, @Res({ passthrough: true }) res: Response) {
    return sendIdempotent(res, await this.transfers.payOut('WITHDRAWAL', user, body, key));
  }

  @Post('top-ups')
  @ApiCreatedResponse({ type: TransactionDto })
  @Roles('admin')
  async topUp(@Body() body: CreateTopUpDto, @Idempotency() key: IdempotentRequest, @Res({ passthrough: true }) res: Response) {
    return sendIdempotent(res, await this.transfers.issue('TOP_UP', body, key));
  }

  @Post('bonuses')
  @ApiCreatedResponse({ type: TransactionDto })
  @Roles('admin')
  async bonus(@Body() body: CreateBonusDto, @Idempotency() key: IdempotentRequest, @Res({ passthrough: true }) res: Response) {
    return sendIdempotent(res, await this.transfers.issue('BONUS', body, key));
  }

  @Post('transactions/:id/reversal')
  @ApiCreatedResponse({ type: TransactionDto })
  @Roles('admin')
  @ApiParam({ name: 'id', example: '6c1f0b9e-2d4a-4e8b-b7c3-1a2b3c4d5e6f', description: 'a transaction id' })
  async reverse(@Param('id', notFoundOnBadUuid) id: string, @Body() body: CreateReversalDto, @Idempotency() key: IdempotentRequest, @Res({ passthrough: true }) res: Response) {
    return sendIdempotent(res, await this.transfers.reverse(id, body, key));
  }
}
