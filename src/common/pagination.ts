import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { Transform } from 'class-transformer';
import { ValidationFailedError } from '../../libs/ledger/src';

export const PAGE_LIMIT_DEFAULT = 20;

/** `?limit=&cursor=` of every list endpoint. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: PAGE_LIMIT_DEFAULT })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = PAGE_LIMIT_DEFAULT;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor is not valid' })
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Cursors are base64url JSON arrays of the last row's sort key; opaque to clients. */
export function encodeCursor(key: Array<string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, shape: Array<'string' | 'number'>): Array<string | number> | null {
  if (cursor === undefined) return null;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new ValidationFailedError('cursor is not valid', [{ field: 'cursor', message: 'cursor is not valid' }]);
  }
  const valid = Array.isArray(key) && key.length === shape.length && key.every((v, i) => typeof v === shape[i]);
  if (!valid) throw new ValidationFailedError('cursor is not valid', [{ field: 'cursor', message: 'cursor is not valid' }]);
  return key as Array<string | number>;
}

/** Builds a page from `limit + 1` rows: the extra row only says there is a next page. */
export function toPage<R, T>(rows: R[], limit: number, present: (row: R) => T, keyOf: (row: R) => Array<string | number>): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(present), nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
