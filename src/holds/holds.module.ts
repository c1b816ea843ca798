import { Module } from '@nestjs/common';
import { HoldSweeper } from './hold-sweeper';
import { HoldsGauge } from './holds-gauge';
import { HoldsController } from './holds.controller';
import { HoldsService } from './holds.service';

@Module({
  controllers: [HoldsController],
  providers: [HoldsService, HoldSweeper, HoldsGauge],
})
export class HoldsModule {}
