import { Module } from '@nestjs/common';
import { BatchUploadInterceptor } from './batch-upload.interceptor';
import { BatchProcessor } from './batch.processor';
import { BatchWorker } from './batch.worker';
import { BatchesController } from './batches.controller';
import { BatchesService } from './batches.service';

@Module({
  controllers: [BatchesController],
  providers: [BatchesService, BatchProcessor, BatchWorker, BatchUploadInterceptor],
})
export class BatchesModule {}
