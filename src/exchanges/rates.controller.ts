import { applyDecorators, Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { ApiProblems } from '../common/problem.dto';
import { PutRateDto, RateDto } from './dto/rate.dto';
import { RatesService } from './rates.service';

const ApiPair = () =>
  applyDecorators(
    ApiParam({ name: 'from', example: 'GOLD_COINS', description: 'the asset sold' }),
    ApiParam({ name: 'to', example: 'DIAMONDS', description: 'the asset bought' }),
  );

@ApiTags('exchanges')
@ApiBearerAuth()
@ApiProblems(400, 401, 429)
@Controller('rates')
export class RatesController {
  constructor(private readonly rates: RatesService) {}

  @Get()
  @ApiOkResponse({ type: [RateDto] })
  list(): Promise<RateDto[]> {
    return this.rates.list();
  }

  @Put(':from/:to')
  @Roles('admin')
  @ApiOkResponse({ type: RateDto, description: 'The rate as stored; later quotes use it, earlier quotes keep theirs' })
  @ApiProblems(403, 422)
  @ApiPair()
  put(@Param('from') from: string, @Param('to') to: string, @Body() body: PutRateDto): Promise<RateDto> {
    return this.rates.put(from, to, body);
  }

  @Delete(':from/:to')
  @Roles('admin')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted; quotes already given keep their rate' })
  @ApiProblems(403, 404, 422)
  @ApiPair()
  remove(@Param('from') from: string, @Param('to') to: string): Promise<void> {
    return this.rates.remove(from, to);
  }
}
