import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/auth.decorators';
import { Page, PageQuery } from '../common/pagination';
import { notFoundOnBadWalletId } from '../common/uuid.pipe';
import { EntryDto, EntryPageDto, WalletDto, WalletListQuery } from './wallet.dto';
import { WalletsService } from './wallets.service';
import { ApiProblems } from '../common/problem.dto';

@ApiTags('wallets')
@ApiBearerAuth()
@ApiProblems(400, 401, 403, 404, 429)
@Controller('wallets')
export class WalletsController {
  constructor(private readonly wallets: WalletsService) {}

  @Get()
  @ApiOkResponse({ type: [WalletDto] })
  list(@CurrentUser() user: AuthUser, @Query() query: WalletListQuery): Promise<WalletDto[]> {
    return this.wallets.list(user, query.kind);
  }

  @Get(':id')
  @ApiOkResponse({ type: WalletDto })
  get(@CurrentUser() user: AuthUser, @Param('id', notFoundOnBadWalletId) id: string): Promise<WalletDto> {
    return this.wallets.get(user, id);
  }

  @Get(':id/entries')
  @ApiOkResponse({ type: EntryPageDto })
  entries(@CurrentUser() user: AuthUser, @Param('id', notFoundOnBadWalletId) id: string, @Query() page: PageQuery): Promise<Page<EntryDto>> {
    return this.wallets.entries(user, id, page);
  }
}
