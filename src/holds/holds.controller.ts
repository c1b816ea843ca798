import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import {ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { IdempotentRequest } from '../../libs/ledger/src';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/auth.decorators';
import { Idempotency, sendIdempotent, IDEMPOTENCY_KEY_HEADER } from '../common/idempotency';
import { Page } from '../common/pagination';
import { ApiProblems } from '../common/problem.dto';
import { notFoundOnBadUuid } from '../common/uuid.pipe';
import { ThrottlePolicy } from '../throttling/throttle-policy.decorator';
import { TransactionDto } from '../transfers/dto/transaction.dto';
import { CaptureHoldDto, CreateHoldDto, HoldDto, HoldPageDto, HoldQuery, VoidHoldDto } from './dto/hold.dto';
import { HoldsService } from './holds.service';

@ApiTags('holds')
@ApiBearerAuth()
@Controller('holds')
export class HoldsController {
  constructor(private readonly holds: HoldsService) {}

  @Post()
  @ThrottlePolicy('money')
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiCreatedResponse({ type: HoldDto })
  @ApiProblems(400, 401, 404, 409, 422, 429, 503)
  async create(@CurrentUser() user: AuthUser, @Body() body: CreateHoldDto, @Idempotency() key: IdempotentRequest, @Res({ passthrough: true }) res: Response) {
    return sendIdempotent(res, await this.holds.create(user, body, key));
  }

  @Post(':id/capture')
  @ThrottlePolicy('money')
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiCreatedResponse({ type: TransactionDto })
  @ApiProblems(400, 401, 403, 404, 409, 422, 429, 503)
  @ApiParam({ name: 'id', example: '3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7', description: 'a hold id' })
  async capture(
    @CurrentUser() user: AuthUser,
    @Param('id', notFoundOnBadUuid) id: string,
    @Body() body: CaptureHoldDto,
    @Idempotency() key: IdempotentRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    return sendIdempotent(res, await this.holds.capture(user, id, body, key));
  }

  @Post(':id/void')
  @ThrottlePolicy('money')
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiCreatedResponse({ type: TransactionDto })
  @ApiProblems(400, 401, 403, 404, 409, 429, 503)
  @ApiParam({ name: 'id', example: '3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7', description: 'a hold id' })
  async void(
    @CurrentUser() user: AuthUser,
    @Param('id', notFoundOnBadUuid) id: string,
    @Body() body: VoidHoldDto,
    @Idempotency() key: IdempotentRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    return sendIdempotent(res, await this.holds.void(user, id, body, key));
  }

  @Get()
  @ApiOkResponse({ type: HoldPageDto })
  @ApiProblems(400, 401, 429)
  list(@CurrentUser() user: AuthUser, @Query() query: HoldQuery): Promise<Page<HoldDto>> {
    return this.holds.list(user, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: HoldDto })
  @ApiProblems(401, 404, 429)
  @ApiParam({ name: 'id', example: '3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7', description: 'a hold id' })
  get(@CurrentUser() user: AuthUser, @Param('id', notFoundOnBadUuid) id: string): Promise<HoldDto> {
    return this.holds.get(user, id);
  }
}
