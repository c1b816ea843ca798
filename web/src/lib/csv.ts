import { stringify } from 'csv-stringify/sync';
import type { BatchItem } from '../../../libs/contract/src';

export type CsvCell = string | number | null;

const FORMULA_START = /^[=+\-@\t\r]/;
const NUMBER = /^-?\d+(\.\d+)?$/;
/**
 * Quoted beyond what RFC 4180 needs (csv-stringify quotes `"`, `,`, CR and LF): spreadsheets
 * that split on `;` or tab, and edge spaces that some of them trim.
 */
const ALSO_QUOTED = /[;\t]|^\s|\s$/;

/** Text a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection advice); plain numbers are left alone. */
export function neutralised(value: CsvCell): CsvCell {
  if (typeof value !== 'string' || !FORMULA_START.test(value) || NUMBER.test(value)) return value;
  return `'${value}`;
}

export function toCsv(rows: CsvCell[][]): string {
  return stringify(
    rows.map((row) => row.map(neutralised)),
    { record_delimiter: '\r\n', quoted_match: ALSO_QUOTED },
  );
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
