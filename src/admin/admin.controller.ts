import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { ReconciliationReport, ReconciliationService } from './reconciliation.service';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('admin')
export class AdminController {
  constructor(private readonly reconciliation: ReconciliationService) {}

  @Get('reconciliation')
  @ApiOkResponse({ description: '{ok, checkedAt, wallets, transactions, problems: [{invariant, detail}]}' })
  reconcile(): Promise<ReconciliationReport> {
    return this.reconciliation.run();
  }
}
