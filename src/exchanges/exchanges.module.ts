import { Module } from '@nestjs/common';
import { ExchangesController } from './exchanges.controller';
import { ExchangesService } from './exchanges.service';
import { QuotesController } from './quotes.controller';
import { QuotesService } from './quotes.service';
import { RatesController } from './rates.controller';
import { RatesService } from './rates.service';

@Module({
  controllers: [RatesController, QuotesController, ExchangesController],
  providers: [RatesService, QuotesService, ExchangesService],
})
export class ExchangesModule {}
