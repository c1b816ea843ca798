import { Module } from '@nestjs/common';
import { WalletsController } from './wallets.controller';
import { StatementsService } from './statements.service';
import { WalletsService } from './wallets.service';

@Module({ controllers: [WalletsController], providers: [WalletsService, StatementsService] })
export class WalletsModule {}
