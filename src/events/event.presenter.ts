import type { EventType } from '../../libs/ledger/src';
import type { Event } from '../../libs/contract/src';

/** A stamped `events` row; bigint comes back from pg as text, `data` (json) already parsed. */
export interface EventRow {
  position: string;
  type: EventType;
  created_at: Date;
  data: unknown;
}

export const EVENT_COLUMNS = 'e.position, e.type, e.created_at, e.data';

/** Event ids name a feed position; `evt_` keeps them apart from other lists' cursors. */
export const EVENT_ID_PATTERN = /^evt_(0|[1-9]\d{0,17})$/;

export function eventId(position: string): string {
  return `evt_${position}`;
}

/** The position an event id names; the id was validated against EVENT_ID_PATTERN. */
export function positionOf(id: string): string {
  return id.slice('evt_'.length);
}

export function presentEvent(row: EventRow): Event {
  return { id: eventId(row.position), type: row.type, createdAt: row.created_at.toISOString(), data: row.data };
}
