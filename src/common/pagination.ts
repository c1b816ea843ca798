import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { Transform } from 'class-transformer';
import { ValidationFailedError } from '../../libs/ledger/src';
import type { Page } from '../../libs/contract/src';

export const PAGE_LIMIT_DEFAULT = 20;
/** Encoded cursors of this service are far shorter; anything longer is not one of them. */
export const CURSOR_CHARS_MAX = 200;

/** `?limit=&cursor=` of every list endpoint. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: PAGE_LIMIT_DEFAULT, example: 50 })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = PAGE_LIMIT_DEFAULT;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page of the same list', maxLength: CURSOR_CHARS_MAX })
  @IsOptional()
  @IsString()
  @MaxLength(CURSOR_CHARS_MAX)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor is not valid' })
  cursor?: string;
}

export type { Page };

/**
 * What a cursor may hold, one kind per sort-key column. Each kind is checked as strictly as
 * the SQL that will receive it, so that a forged cursor is a 400 here and never a PostgreSQL
 * error (a 500) there.
 */
export type CursorField =
  /** A timestamptz as PostgreSQL prints it (`2026-12-03 07:36:17.123456+00`): exact to the microsecond. */
  | 'timestamp'
  | 'uuid'
  /** An integer column: 0 … 2^31 − 1. */
  | 'int'
  /** A bigint id, as a decimal string: 1 … 2^63 − 1. */
  | 'bigint';

export type CursorKey = Array<string | number>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/;
const INT_MAX = 2_147_483_647;
const BIGINT_MAX = 9_223_372_036_854_775_807n;

function isTimestamp(value: unknown): boolean {
  const match = typeof value === 'string' ? TIMESTAMP.exec(value) : null;
  if (match === null) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  // A date that does not exist (Feb 30) comes back from Date.UTC as another day.
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
}

function isField(kind: CursorField, value: unknown): boolean {
  switch (kind) {
    case 'timestamp':
      return isTimestamp(value);
    case 'uuid':
      return typeof value === 'string' && UUID.test(value);
    case 'int':
      return Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= INT_MAX;
    case 'bigint':
      return typeof value === 'string' && /^[1-9]\d{0,18}$/.test(value) && BigInt(value) <= BIGINT_MAX;
  }
}

function invalidCursor(): ValidationFailedError {
  return new ValidationFailedError('cursor is not valid', [{ field: 'cursor', message: 'is not a cursor of this list' }]);
}

/**
 * The one cursor format: base64url JSON `[list, ...sortKey]`. The list's name travels inside,
 * so another list's cursor is refused like a forged one; every key column is checked on the
 * way in (its kind, its range). Cursors stay opaque to clients.
 */
export class CursorCodec {
  constructor(
    private readonly list: string,
    private readonly fields: CursorField[],
  ) {}

  /** The same list for one parent (a wallet's entries, a batch's items): another parent's cursor is refused too. */
  of(parentId: string): CursorCodec {
    return new CursorCodec(`${this.list}:${parentId}`, this.fields);
  }

  encode(key: CursorKey): string {
    return Buffer.from(JSON.stringify([this.list, ...key])).toString('base64url');
  }

  /** The sort key of the cursor, checked; null when there is none (the first page). */
  decode(cursor: string | undefined): CursorKey | null {
    if (cursor === undefined) return null;
    if (cursor.length > CURSOR_CHARS_MAX || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalidCursor();
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      throw invalidCursor();
    }
    if (!Array.isArray(decoded) || decoded.length !== this.fields.length + 1 || decoded[0] !== this.list) throw invalidCursor();
    const key = decoded.slice(1) as CursorKey;
    if (!this.fields.every((kind, i) => isField(kind, key[i]))) throw invalidCursor();
    return key;
  }
}

/** Builds a page from `limit + 1` rows: the extra row only says there is a next page. */
export function toPage<R, T>(rows: R[], limit: number, present: (row: R) => T, cursor: CursorCodec, keyOf: (row: R) => CursorKey): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(present), nextCursor: rows.length > limit && last !== undefined ? cursor.encode(keyOf(last)) : null };
}
