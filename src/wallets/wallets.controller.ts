import { Controller, Get, Headers, Param, Query, StreamableFile } from '@nestjs/common';
import {ApiBearerAuth, ApiOkResponse, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Readable } from 'node:stream';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/auth.decorators';
import { Page, PageQuery } from '../common/pagination';
import { notFoundOnBadWalletId } from '../common/uuid.pipe';
import { EntryDto, EntryPageDto, WalletDto, WalletListQuery } from './wallet.dto';
import { WalletsService } from './wallets.service';
import { ApiProblems } from '../common/problem.dto';
import { BalanceAtDto, BalanceAtQuery, StatementDto, StatementQuery } from './statement.dto';
import { StatementsService } from './statements.service';

/** `Accept: text/csv` anywhere in the header asks for the CSV form; anything else gets JSON. */
function wantsCsv(accept: string | undefined): boolean {
  return /(^|[\s,])text\/csv\b/i.test(accept ?? '');
}

function csvFile(name: string, chunks: AsyncIterable<string>): StreamableFile {
  return new StreamableFile(Readable.from(chunks), { type: 'text/csv; charset=utf-8', disposition: `attachment; filename="${name}"` });
}

@ApiTags('wallets')
@ApiBearerAuth()
@ApiProblems(400, 401, 403, 404, 429)
@Controller('wallets')
export class WalletsController {
  constructor(
    private readonly wallets: WalletsService,
    private readonly statements: StatementsService,
  ) {}

  @Get()
  @ApiOkResponse({ type: [WalletDto] })
  list(@CurrentUser() user: AuthUser, @Query() query: WalletListQuery): Promise<WalletDto[]> {
    return this.wallets.list(user, query.kind);
  }

  @Get(':id')
  @ApiOkResponse({ type: WalletDto })
  @ApiParam({ name: 'id', example: 42, description: 'a wallet id (a system wallet: its first shard)' })
  get(@CurrentUser() user: AuthUser, @Param('id', notFoundOnBadWalletId) id: string): Promise<WalletDto> {
    return this.wallets.get(user, id);
  }

  @Get(':id/entries')
  @ApiOkResponse({ type: EntryPageDto })
  @ApiParam({ name: 'id', example: 42, description: 'a wallet id (a system wallet: its first shard)' })
  entries(@CurrentUser() user: AuthUser, @Param('id', notFoundOnBadWalletId) id: string, @Query() page: PageQuery): Promise<Page<EntryDto>> {
    return this.wallets.entries(user, id, page);
  }

  @Get(':id/balance')
  @ApiOkResponse({ type: BalanceAtDto })
  @ApiParam({ name: 'id', example: 42, description: 'a wallet id (a system wallet: its first shard)' })
  balanceAt(@CurrentUser() user: AuthUser, @Param('id', notFoundOnBadWalletId) id: string, @Query() query: BalanceAtQuery): Promise<BalanceAtDto> {
    return this.statements.balanceAt(user, id, query);
  }

  @Get(':id/statement')
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: StatementDto, description: `JSON totals; with Accept: text/csv the window's entries (createdAt,transactionId,type,direction,amount,balanceAfter,description)` })
  @ApiParam({ name: 'id', example: 42, description: 'a wallet id (a system wallet: its first shard)' })
  async statement(
    @CurrentUser() user: AuthUser,
    @Param('id', notFoundOnBadWalletId) id: string,
    @Query() query: StatementQuery,
    @Headers('accept') accept?: string,
  ): Promise<StatementDto | StreamableFile> {
    if (wantsCsv(accept)) return csvFile(`statement-${id}.csv`, await this.statements.statementCsv(user, id, query));
    return this.statements.statement(user, id, query);
  }
}
