import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { AssetsService } from './assets.service';
import { AssetDto, CreateAssetDto } from './dto/create-asset.dto';
import { ApiProblems } from '../common/problem.dto';

@ApiTags('assets')
@ApiBearerAuth()
@ApiProblems(400, 401, 403, 429)
@Controller('assets')
export class AssetsController {
  constructor(private readonly assets: AssetsService) {}

  @Get()
  @ApiOkResponse({ type: [AssetDto] })
  list(): Promise<AssetDto[]> {
    return this.assets.list();
  }

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ type: AssetDto })
  create(@Body() body: CreateAssetDto): Promise<AssetDto> {
    return this.assets.create(body);
  }
}
