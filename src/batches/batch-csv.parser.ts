import { isUtf8 } from 'node:buffer';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { CsvError, parse, Parser } from 'csv-parse';
import { MONEY_MAX, parseAmountCell, ValidationFailedError } from '../../libs/ledger/src';

/** API.md "Batch payouts": the file-level limits. */
export const BATCH_FILE_BYTES_MAX = 10 * 1024 * 1024;
export const BATCH_ROWS_MAX = 100_000;
/** A record longer than this is not a payout line; it bounds what one cell can hold. */
export const BATCH_RECORD_BYTES_MAX = 64 * 1024;
/** The reference becomes the transaction's description, which holds at most 500 characters. */
export const BATCH_REFERENCE_CHARS_MAX = 500;
const RECIPIENT_CHARS_MAX = 254;
/**
 * csv-parse reads a few MB/s: a 10 MiB file parsed in one go would block the event loop (and
 * every other request) for seconds. Fed in slices, it yields between them.
 */
const PARSE_SLICE_BYTES = 32 * 1024;
const CELL_ECHO_CHARS_MAX = 40;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/**
 * A parsed file, column by column: 100,000 rows as a few arrays cost far less memory than
 * 100,000 objects, and they are what the bulk INSERT … unnest() takes.
 */
export interface ParsedBatchFile {
  rowCount: number;
  recipients: string[];
  /** null: the cell is not a valid amount. */
  amounts: Array<bigint | null>;
  references: Array<string | null>;
  /** Why a row is refused before any money moves (VALIDATION_FAILED), or null. */
  errors: Array<string | null>;
  invalidCount: number;
  /** Sum of the valid amounts. */
  totalAmount: bigint;
}

interface Columns {
  recipient: number;
  amount: number;
  reference: number | null;
}

export type RecipientRef = { userId: string } | { email: string };

/** A recipient cell names a user by id (UUID) or by email (case-insensitive); null: neither. */
export function recipientRef(cell: string): RecipientRef | null {
  if (UUID.test(cell)) return { userId: cell.toLowerCase() };
  if (cell.length <= RECIPIENT_CHARS_MAX && EMAIL.test(cell)) return { email: cell.toLowerCase() };
  return null;
}

/**
 * Validates and parses a whole payout file. File-level problems throw VALIDATION_FAILED
 * (nothing gets stored); a bad cell only marks its row as failed.
 */
export async function parseBatchFile(file: Buffer): Promise<ParsedBatchFile> {
  if (file.length === 0) throw new ValidationFailedError('The file is empty');
  if (file.length > BATCH_FILE_BYTES_MAX) throw new ValidationFailedError(`The file is larger than ${BATCH_FILE_BYTES_MAX} bytes`);
  // A NUL byte never occurs in text; invalid UTF-8 means a spreadsheet or another binary format.
  if (file.includes(0) || !isUtf8(file)) throw new ValidationFailedError('The file is not a UTF-8 text CSV file');
  const parsed: ParsedBatchFile = { rowCount: 0, recipients: [], amounts: [], references: [], errors: [], invalidCount: 0, totalAmount: 0n };
  const header: { columns: Columns | null } = { columns: null };
  const parser = parse({
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_empty_values: true,
    max_record_size: BATCH_RECORD_BYTES_MAX,
  });
  await feed(parser, file, (record) => {
    if (header.columns === null) header.columns = headerColumns(record);
    else addRow(parsed, header.columns, record);
  });
  if (header.columns === null) throw new ValidationFailedError('The file is empty');
  if (parsed.rowCount === 0) throw new ValidationFailedError('The file has a header row but no payout rows');
  if (parsed.totalAmount > MONEY_MAX) throw new ValidationFailedError(`The amounts add up to more than ${MONEY_MAX}`);
  return parsed;
}

/**
 * Writes the file slice by slice and hands each record to `onRecord` as it is parsed (a
 * 'data' listener costs a third of csv-parse's on_record option). The first error wins,
 * from csv-parse or from `onRecord`.
 */
async function feed(parser: Parser, file: Buffer, onRecord: (record: string[]) => void): Promise<void> {
  let failure: unknown = null;
  parser.on('error', (error) => (failure ??= error));
  parser.on('data', (record: string[]) => {
    if (failure !== null) return;
    try {
      onRecord(record);
    } catch (error) {
      failure = error;
      parser.destroy();
    }
  });
  for (let offset = 0; offset < file.length && failure === null; offset += PARSE_SLICE_BYTES) {
    parser.write(file.subarray(offset, offset + PARSE_SLICE_BYTES));
    await yieldToEventLoop();
  }
  if (failure === null) {
    // The last record, or a problem such as an unclosed quote, may only show up at the end;
    // 'close' also covers onRecord destroying the parser there.
    const ended = new Promise((resolve) => ['finish', 'close', 'error'].forEach((event) => parser.once(event, resolve)));
    parser.end();
    await ended;
  }
  if (failure instanceof CsvError) throw new ValidationFailedError(`The file is not valid CSV: ${failure.message}`);
  if (failure !== null) throw failure;
}

function headerColumns(header: string[]): Columns {
  const names = header.map((name) => name.trim().toLowerCase());
  const find = (name: string, required: boolean): number | null => {
    const index = names.indexOf(name);
    if (index !== names.lastIndexOf(name)) throw new ValidationFailedError(`The header has more than one "${name}" column`);
    if (index === -1 && required) {
      throw new ValidationFailedError(`The header has no "${name}" column; it needs "recipient" and "amount" (found: ${describeHeader(names)})`);
    }
    return index === -1 ? null : index;
  };
  return { recipient: find('recipient', true) as number, amount: find('amount', true) as number, reference: find('reference', false) };
}

function describeHeader(names: string[]): string {
  const shown = names.slice(0, 10).map((name) => `"${echo(name)}"`);
  return names.length > 10 ? `${shown.join(', ')}, …` : shown.join(', ');
}

function addRow(parsed: ParsedBatchFile, columns: Columns, record: string[]): void {
  if (parsed.rowCount === BATCH_ROWS_MAX) throw new ValidationFailedError(`The file has more than ${BATCH_ROWS_MAX} payout rows`);
  const recipient = (record[columns.recipient] ?? '').trim();
  const amountCell = record[columns.amount] ?? '';
  const reference = columns.reference === null ? '' : (record[columns.reference] ?? '').trim();
  const amount = parseAmountCell(amountCell);
  const problems: string[] = [];
  if (recipientRef(recipient) === null) problems.push(`recipient must be an email address or a user id, got "${echo(recipient)}"`);
  if (amount === null) problems.push(`amount must be an integer from 1 to ${MONEY_MAX} in minor units, got "${echo(amountCell.trim())}"`);
  if (reference.length > BATCH_REFERENCE_CHARS_MAX) problems.push(`reference must be at most ${BATCH_REFERENCE_CHARS_MAX} characters`);
  parsed.rowCount += 1;
  parsed.recipients.push(recipient);
  parsed.amounts.push(amount);
  parsed.references.push(reference === '' ? null : reference);
  parsed.errors.push(problems.length === 0 ? null : problems.join('; '));
  if (problems.length > 0) parsed.invalidCount += 1;
  if (amount !== null) parsed.totalAmount += amount;
}

/** Cells are echoed in messages, shortened: a message must stay readable and bounded. */
function echo(cell: string): string {
  return cell.length <= CELL_ECHO_CHARS_MAX ? cell : `${cell.slice(0, CELL_ECHO_CHARS_MAX)}…`;
}
