import type { BatchItem } from './types';

export type CsvCell = string | number | null;

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * One RFC 4180 field. Text that a spreadsheet would run as a formula gets a leading
 * apostrophe (OWASP CSV injection advice); plain numbers are left alone.
 */
export function csvField(value: CsvCell): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text) && !NUMBER.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: CsvCell[][]): string {
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

const FAILED_ROWS_HEADER = ['row', 'recipient', 'amount', 'reference', 'errorCode', 'errorMessage'];

export function failedItemsCsv(items: BatchItem[]): string {
  const rows = items.map((item) => [
    item.row,
    item.recipient,
    item.amount,
    item.reference,
    item.errorCode,
    item.errorMessage,
  ]);
  return toCsv([FAILED_ROWS_HEADER, ...rows]);
}
