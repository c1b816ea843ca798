import { Module } from '@nestjs/common';
import { IdempotencyPurgeService } from './idempotency-purge.service';
import { TransactionsController } from './transactions.controller';
import { TransactionsService } from './transactions.service';
import { TransfersController } from './transfers.controller';
import { TransfersService } from './transfers.service';

@Module({
  controllers: [TransfersController, TransactionsController],
  providers: [TransfersService, TransactionsService, IdempotencyPurgeService],
})
export class TransfersModule {}
