import { Body, Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/auth.decorators';
import { ApiProblems } from '../common/problem.dto';
import { CreateQuoteDto, QuoteDto } from './dto/quote.dto';
import { QuotesService } from './quotes.service';

@ApiTags('exchanges')
@ApiBearerAuth()
@ApiProblems(400, 401, 422, 429)
@Controller('quotes')
export class QuotesController {
  constructor(private readonly quotes: QuotesService) {}

  @Post()
  @ApiCreatedResponse({ type: QuoteDto, description: 'RATE_NOT_FOUND, AMOUNT_TOO_SMALL, ASSET_NOT_FOUND or BALANCE_LIMIT (toAmount above 2^53 − 1) are 422s' })
  create(@CurrentUser() user: AuthUser, @Body() body: CreateQuoteDto): Promise<QuoteDto> {
    return this.quotes.create(user, body);
  }
}
