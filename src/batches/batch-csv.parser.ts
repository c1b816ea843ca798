import { createHash } from 'node:crypto';
import { CsvError, parse, Parser } from 'csv-parse';
import { MONEY_MAX, parseAmountCell, ValidationFailedError } from '../../libs/ledger/src';

/** docs/batches.md: the file-level limits. */
export const BATCH_FILE_BYTES_MAX = 10 * 1024 * 1024;
export const BATCH_ROWS_MAX = 100_000;
/** A record longer than this is not a payout line; it bounds what one cell can hold. */
const BATCH_RECORD_BYTES_MAX = 64 * 1024;
/** The reference becomes the transaction's description, which holds at most 500 characters. */
const BATCH_REFERENCE_CHARS_MAX = 500;
const RECIPIENT_CHARS_MAX = 254;
const CELL_ECHO_CHARS_MAX = 40;

/** A recipient cell that matches this (case-insensitively) names a user id; the worker's SQL uses it too. */
export const RECIPIENT_ID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
const USER_ID = new RegExp(RECIPIENT_ID_PATTERN, 'i');
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

/**
 * A recipient cell names a user by id (a UUID) or by email address (compared
 * case-insensitively when the row's turn comes); anything else fails the row at upload.
 */
export function isRecipientCell(cell: string): boolean {
  return USER_ID.test(cell) || (cell.length <= RECIPIENT_CHARS_MAX && EMAIL.test(cell));
}

/** A whole file read: its rows, and the SHA-256 of its bytes (what an idempotent replay must match). */
export interface ReadBatchFile {
  parsed: ParsedBatchFile;
  sha256: string;
}

/**
 * Reads a payout file as it arrives, chunk by chunk, so the upload is never held whole in
 * memory: each chunk is hashed, checked for binary content, and parsed by csv-parse into the
 * columns. File-level problems throw VALIDATION_FAILED (nothing gets stored); a bad cell only
 * marks its row as failed.
 */
export class BatchCsvReader {
  private readonly parsed: ParsedBatchFile = {
    rowCount: 0,
    recipients: [],
    amounts: [],
    references: [],
    errors: [],
    invalidCount: 0,
    totalAmount: 0n,
  };
  private readonly hash = createHash('sha256');
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });
  private readonly parser: Parser;
  private columns: Columns | null = null;
  private failure: unknown = null;
  private bytes = 0;

  constructor() {
    this.parser = parse({
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      max_record_size: BATCH_RECORD_BYTES_MAX,
    });
    // A 'data' listener costs a third of what csv-parse's on_record option does.
    this.parser.on('data', (record: string[]) => this.onRecord(record));
    this.parser.on('error', (error) => (this.failure ??= error));
  }

  /** The next bytes of the file; throws the first file-level problem found so far. */
  push(chunk: Buffer): void {
    this.throwIfFailed();
    this.bytes += chunk.length;
    if (this.bytes > BATCH_FILE_BYTES_MAX) throw new ValidationFailedError(`The file is larger than ${BATCH_FILE_BYTES_MAX} bytes`);
    this.hash.update(chunk);
    this.checkText(chunk, true);
    this.parser.write(chunk);
    this.throwIfFailed();
  }

  async finish(): Promise<ReadBatchFile> {
    this.throwIfFailed();
    if (this.bytes === 0) throw new ValidationFailedError('The file is empty');
    this.checkText(Buffer.alloc(0), false);
    // The last record, or a problem such as an unclosed quote, may only show up at the end;
    // 'close' also covers a record handler that destroyed the parser there.
    const ended = new Promise((resolve) => ['finish', 'close', 'error'].forEach((event) => this.parser.once(event, resolve)));
    this.parser.end();
    await ended;
    this.throwIfFailed();
    if (this.columns === null) throw new ValidationFailedError('The file is empty');
    if (this.parsed.rowCount === 0) throw new ValidationFailedError('The file has a header row but no payout rows');
    if (this.parsed.totalAmount > MONEY_MAX) throw new ValidationFailedError(`The amounts add up to more than ${MONEY_MAX}`);
    return { parsed: this.parsed, sha256: this.hash.digest('hex') };
  }

  /** A NUL byte never occurs in text; invalid UTF-8 means a spreadsheet or another binary format. */
  private checkText(chunk: Buffer, more: boolean): void {
    let isText = !chunk.includes(0);
    try {
      if (isText) this.utf8.decode(chunk, { stream: more });
    } catch {
      isText = false;
    }
    if (!isText) this.failure = new ValidationFailedError('The file is not a UTF-8 text CSV file');
    this.throwIfFailed();
  }

  private onRecord(record: string[]): void {
    if (this.failure !== null) return;
    try {
      if (this.columns === null) this.columns = headerColumns(record);
      else addRow(this.parsed, this.columns, record);
    } catch (error) {
      this.failure = error;
      this.parser.destroy();
    }
  }

  private throwIfFailed(): void {
    const failure = this.failure;
    if (failure instanceof CsvError) throw new ValidationFailedError(`The file is not valid CSV: ${failure.message}`);
    if (failure !== null) throw failure;
  }
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
  if (!isRecipientCell(recipient)) problems.push(`recipient must be an email address or a user id, got "${echo(recipient)}"`);
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
