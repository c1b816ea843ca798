import { Module } from '@nestjs/common';
import { AdminController } from './admin.controller';
import { ReconciliationService } from './reconciliation.service';

@Module({ controllers: [AdminController], providers: [ReconciliationService], exports: [ReconciliationService] })
export class AdminModule {}
