import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthUser } from '../auth/auth-user';
import { Page } from '../common/pagination';
import { EventDto, EventQuery } from './dto/event.dto';
import { EVENT_COLUMNS, EventRow, positionOf, presentEvent } from './event.presenter';

/**
 * Only stamped events exist for readers: `position` is set by the relay in commit order, so a
 * page after position p can never be followed by an event that lands behind p.
 */
const ALL_SQL = `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.position > $1 ORDER BY e.position LIMIT $2`;
const ALL_OF_TYPE_SQL = `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.position > $1 AND e.type = $3 ORDER BY e.position LIMIT $2`;

/** A user's feed walks their own (user_id, position) range, however many events others have. */
const MINE_SQL = `
  SELECT ${EVENT_COLUMNS} FROM event_users u JOIN events e ON e.position = u.position
   WHERE u.user_id = $3 AND u.position > $1 ORDER BY u.position LIMIT $2`;
const MINE_OF_TYPE_SQL = `
  SELECT ${EVENT_COLUMNS} FROM event_users u JOIN events e ON e.position = u.position
   WHERE u.user_id = $3 AND u.type = $4 AND u.position > $1 ORDER BY u.position LIMIT $2`;

@Injectable()
export class EventsService {
  constructor(private readonly dataSource: DataSource) {}

  async feed(caller: AuthUser, query: EventQuery): Promise<Page<EventDto>> {
    const after = query.after === undefined ? '0' : positionOf(query.after);
    const rows: EventRow[] = await this.dataSource.query(...this.statement(caller, query, after));
    const items = rows.map(presentEvent);
    return { items, nextCursor: items.at(-1)?.id ?? query.after ?? null };
  }

  private statement(caller: AuthUser, query: EventQuery, after: string): [string, unknown[]] {
    const page = [after, query.limit];
    if (caller.role === 'admin') return query.type === undefined ? [ALL_SQL, page] : [ALL_OF_TYPE_SQL, [...page, query.type]];
    return query.type === undefined ? [MINE_SQL, [...page, caller.id]] : [MINE_OF_TYPE_SQL, [...page, caller.id, query.type]];
  }
}
