import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { ReconciliationReportDto } from './reconciliation.dto';
import { ReconciliationReport, ReconciliationService } from './reconciliation.service';
import { ApiProblems } from '../common/problem.dto';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@ApiProblems(401, 403, 429)
@Controller('admin')
export class AdminController {
  constructor(private readonly reconciliation: ReconciliationService) {}

  @Get('reconciliation')
  @ApiOkResponse({ type: ReconciliationReportDto })
  reconcile(): Promise<ReconciliationReport> {
    return this.reconciliation.run();
  }
}
