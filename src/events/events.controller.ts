import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../auth/auth.decorators';
import { Page } from '../common/pagination';
import { ApiProblems } from '../common/problem.dto';
import { EventDto, EventPageDto, EventQuery } from './dto/event.dto';
import { EventsService } from './events.service';

@ApiTags('events')
@ApiBearerAuth()
@Controller('events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Get()
  @ApiOperation({
    summary: 'The event feed, oldest first (users: their own; admins: all)',
    description: 'Follow it with `after`: every event appears exactly once, in one stable order, with no gaps (docs/events.md).',
  })
  @ApiOkResponse({ type: EventPageDto })
  @ApiProblems(400, 401, 429)
  feed(@CurrentUser() user: AuthUser, @Query() query: EventQuery): Promise<Page<EventDto>> {
    return this.events.feed(user, query);
  }
}
