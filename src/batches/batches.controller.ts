import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import {ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { IdempotentRequest } from '../../libs/ledger/src';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/auth.decorators';
import { Idempotency, sendIdempotent, IDEMPOTENCY_KEY_HEADER } from '../common/idempotency';
import { Page, PageQuery } from '../common/pagination';
import { ApiProblems } from '../common/problem.dto';
import { notFoundOnBadUuid } from '../common/uuid.pipe';
import { ThrottlePolicy } from '../throttling/throttle-policy.decorator';
import { BatchUploadInterceptor } from './batch-upload.interceptor';
import { UploadedBatchFile } from './batch-csv.storage';
import { BatchesService } from './batches.service';
import { BatchDto, BatchItemDto, BatchItemPageDto, BatchItemQuery, BatchPageDto, CreateBatchDto } from './dto/batch.dto';

@ApiTags('batches')
@ApiBearerAuth()
@ApiProblems(400, 401, 404, 429)
@Controller('batches')
export class BatchesController {
  constructor(private readonly batches: BatchesService) {}

  @Post()
  @HttpCode(202)
  @ThrottlePolicy('money')
  @UseInterceptors(BatchUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file', 'asset'],
      properties: {
        file: { type: 'string', format: 'binary', description: 'CSV, UTF-8, at most 10 MiB and 100,000 rows: recipient,amount[,reference]' },
        asset: { type: 'string', example: 'GOLD_COINS' },
      },
    },
  })
  @ApiHeader(IDEMPOTENCY_KEY_HEADER)
  @ApiAcceptedResponse({ type: BatchDto, description: 'Stored; rows are paid asynchronously' })
  @ApiProblems(409, 415, 422, 503)
  async create(
    @CurrentUser() user: AuthUser,
    @Body() body: CreateBatchDto,
    @UploadedFile() file: UploadedBatchFile | undefined,
    @Idempotency() key: IdempotentRequest,
    @Res({ passthrough: true }) res: Response,
  ) {
    return sendIdempotent(res, await this.batches.create(user, body, file, key));
  }

  @Get()
  @ApiOkResponse({ type: BatchPageDto })
  list(@CurrentUser() user: AuthUser, @Query() query: PageQuery): Promise<Page<BatchDto>> {
    return this.batches.list(user, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: BatchDto })
  @ApiParam({ name: 'id', example: '0f3a4b5c-6d7e-4f80-9a1b-2c3d4e5f6a7b', description: 'a batch id' })
  get(@CurrentUser() user: AuthUser, @Param('id', notFoundOnBadUuid) id: string): Promise<BatchDto> {
    return this.batches.get(user, id);
  }

  @Get(':id/items')
  @ApiOkResponse({ type: BatchItemPageDto })
  @ApiParam({ name: 'id', example: '0f3a4b5c-6d7e-4f80-9a1b-2c3d4e5f6a7b', description: 'a batch id' })
  items(@CurrentUser() user: AuthUser, @Param('id', notFoundOnBadUuid) id: string, @Query() query: BatchItemQuery): Promise<Page<BatchItemDto>> {
    return this.batches.items(user, id, query);
  }
}
