import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiParam, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { Page, PageQuery } from '../common/pagination';
import { ApiProblems } from '../common/problem.dto';
import { notFoundOnBadUuid } from '../common/uuid.pipe';
import { CreatedWebhookDto, CreateWebhookDto, DeliveryDto, DeliveryPageDto, WebhookDto } from './dto/webhook.dto';
import { WebhooksService } from './webhooks.service';

@ApiTags('webhooks')
@ApiBearerAuth()
@Roles('admin')
@ApiProblems(401, 403, 429)
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiCreatedResponse({ type: CreatedWebhookDto, description: 'The only answer that shows the signing secret' })
  @ApiProblems(400)
  create(@Body() body: CreateWebhookDto): Promise<CreatedWebhookDto> {
    return this.webhooks.create(body);
  }

  @Get()
  @ApiOkResponse({ type: [WebhookDto] })
  list(): Promise<WebhookDto[]> {
    return this.webhooks.list();
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiProblems(404)
  @ApiParam({ name: 'id', example: 'c0a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b', description: 'a webhook id' })
  remove(@Param('id', notFoundOnBadUuid) id: string): Promise<void> {
    return this.webhooks.remove(id);
  }

  @Get(':id/deliveries')
  @ApiOkResponse({ type: DeliveryPageDto })
  @ApiProblems(400, 404)
  @ApiParam({ name: 'id', example: 'c0a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b', description: 'a webhook id' })
  deliveries(@Param('id', notFoundOnBadUuid) id: string, @Query() query: PageQuery): Promise<Page<DeliveryDto>> {
    return this.webhooks.deliveries(id, query);
  }
}
