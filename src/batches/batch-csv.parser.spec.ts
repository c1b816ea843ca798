import { createHash } from 'node:crypto';
import { ValidationFailedError } from '../../libs/ledger/src';
import { BATCH_ROWS_MAX, BatchCsvReader, isRecipientCell, ParsedBatchFile } from './batch-csv.parser';

const csv = (text: string): Buffer => Buffer.from(text, 'utf8');
const ALICE_ID = '0b6c3f7e-8f4a-4c43-9a53-1d2b1c8e9f10';

/** Feeds the file as an upload arrives: in chunks, here of `chunkBytes`. */
async function read(file: Buffer, chunkBytes = 64 * 1024): Promise<ParsedBatchFile> {
  const reader = new BatchCsvReader();
  for (let offset = 0; offset < file.length; offset += chunkBytes) reader.push(file.subarray(offset, offset + chunkBytes));
  return (await reader.finish()).parsed;
}

async function refusal(file: Buffer): Promise<string> {
  try {
    await read(file);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationFailedError);
    return (error as ValidationFailedError).detail;
  }
  throw new Error('the file was accepted');
}

describe('BatchCsvReader: the file is read as CSV', () => {
  it('reads columns by name in any order, with a BOM, CRLF and quoted fields', async () => {
    const parsed = await read(csv(`\uFEFFreference,Amount, recipient \r\n"Invoice 7, ""March""",1500,Alice@Example.com\r\n,20,${ALICE_ID}\r\n`));
    expect(parsed.rowCount).toBe(2);
    expect(parsed.recipients).toEqual(['Alice@Example.com', ALICE_ID]);
    expect(parsed.amounts).toEqual([1500n, 20n]);
    expect(parsed.references).toEqual(['Invoice 7, "March"', null]);
    expect(parsed.errors).toEqual([null, null]);
    expect(parsed.totalAmount).toBe(1520n);
  });

  it('reads the same whatever the chunk boundaries: inside quotes, CRLF and multi-byte characters', async () => {
    const file = csv('\uFEFFrecipient,amount,reference\r\nAlice@Example.com,15,"Crème brûlée, ""deux"""\r\nbob@example.com,2,€\r\n');
    const whole = await read(file);
    for (const chunkBytes of [1, 2, 3, 7]) expect(await read(file, chunkBytes)).toEqual(whole);
    expect(whole.references).toEqual(['Crème brûlée, "deux"', '€']);
  });

  it('hashes the exact bytes of the file', async () => {
    const file = csv('recipient,amount\na@example.com,1\n');
    const reader = new BatchCsvReader();
    reader.push(file.subarray(0, 5));
    reader.push(file.subarray(5));
    expect((await reader.finish()).sha256).toBe(createHash('sha256').update(file).digest('hex'));
  });

  it('skips blank lines, trailing ones included, and rows of empty cells', async () => {
    const parsed = await read(csv('recipient,amount\n\na@example.com,1\n,\n\r\n\n'));
    expect(parsed.rowCount).toBe(1);
  });

  it('keeps a quoted newline inside one cell', async () => {
    const parsed = await read(csv('recipient,amount,reference\na@example.com,5,"two\nlines"\n'));
    expect(parsed.references).toEqual(['two\nlines']);
  });

  it('accepts exactly the row limit', async () => {
    const parsed = await read(csv(`recipient,amount\n${'a@example.com,1\n'.repeat(BATCH_ROWS_MAX)}`));
    expect(parsed.rowCount).toBe(BATCH_ROWS_MAX);
  });
});

describe('BatchCsvReader: file-level problems refuse the whole file', () => {
  it.each([
    ['an empty file', '', /empty/],
    ['only a BOM and blank lines', '\uFEFF\r\n\r\n', /empty/],
    ['a header without rows', 'recipient,amount\r\n\r\n', /no payout rows/],
    ['no amount column', 'recipient,value\na@example.com,5\n', /no "amount" column.*"recipient", "value"/],
    ['no recipient column', 'email,amount\na@example.com,5\n', /no "recipient" column/],
    ['a column named twice', 'recipient,amount,amount\na@example.com,5,6\n', /more than one "amount"/],
    ['an unclosed quote', 'recipient,amount\n"a@example.com,5\n', /not valid CSV/],
    ['a stray quote inside a field', 'recipient,amount\na"b@example.com,5\n', /not valid CSV/],
  ])('%s', async (_, text, detail) => {
    expect(await refusal(csv(text))).toMatch(detail);
  });

  it('refuses binary content: NUL bytes, invalid UTF-8, a truncated multi-byte character', async () => {
    expect(await refusal(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]))).toMatch(/not a UTF-8 text CSV/);
    expect(await refusal(Buffer.concat([csv('recipient,amount\n'), Buffer.from([0xff, 0xfe, 0x41])]))).toMatch(/not a UTF-8 text CSV/);
    expect(await refusal(Buffer.concat([csv('recipient,amount\na@example.com,1,'), Buffer.from([0xe2, 0x82])]))).toMatch(/not a UTF-8 text CSV/);
  });

  it('refuses more bytes than the upload limit', () => {
    const reader = new BatchCsvReader();
    reader.push(Buffer.alloc(10 * 1024 * 1024, 'a'));
    expect(() => reader.push(csv('a'))).toThrow(/larger than 10485760 bytes/);
  });

  it('refuses one row over the limit', async () => {
    expect(await refusal(csv(`recipient,amount\n${'a@example.com,1\n'.repeat(BATCH_ROWS_MAX + 1)}`))).toMatch(/more than 100000 payout rows/);
  });

  it('refuses amounts whose sum leaves the API bound', async () => {
    expect(await refusal(csv('recipient,amount\na@example.com,9007199254740991\nb@example.com,1\n'))).toMatch(/add up to more than/);
  });
});

describe('BatchCsvReader: a bad cell fails only its row', () => {
  it.each([['abc'], ['0'], ['-5'], ['1.5'], ['1e3'], ['9007199254740992'], ['']])('amount %j is stored as null with VALIDATION_FAILED', async (cell) => {
    const parsed = await read(csv(`recipient,amount\na@example.com,${cell}\nb@example.com,7\n`));
    expect(parsed.amounts).toEqual([null, 7n]);
    expect(parsed.errors[0]).toMatch(/amount must be an integer/);
    expect(parsed.errors[1]).toBeNull();
    expect(parsed.invalidCount).toBe(1);
    expect(parsed.totalAmount).toBe(7n);
  });

  it('fails a recipient that is neither an email nor a user id, keeping the cell', async () => {
    const parsed = await read(csv('recipient,amount\nnot-an-email,5\n,6\n'));
    expect(parsed.recipients).toEqual(['not-an-email', '']);
    expect(parsed.errors[0]).toMatch(/recipient must be an email address or a user id, got "not-an-email"/);
    expect(parsed.errors[1]).toMatch(/recipient must be/);
    expect(parsed.totalAmount).toBe(11n);
  });

  it('treats a missing cell in a short row as empty', async () => {
    const parsed = await read(csv('recipient,amount,reference\na@example.com\n'));
    expect(parsed.amounts).toEqual([null]);
    expect(parsed.references).toEqual([null]);
  });

  it('fails a reference longer than a transaction description may be', async () => {
    const parsed = await read(csv(`recipient,amount,reference\na@example.com,5,${'x'.repeat(501)}\n`));
    expect(parsed.errors[0]).toMatch(/reference must be at most 500/);
  });

  it('lists every problem of a row and shortens long cells', async () => {
    const parsed = await read(csv(`recipient,amount\n${'y'.repeat(300)},zz\n`));
    expect(parsed.errors[0]).toMatch(/recipient .*"y{40}…".*; amount .*"zz"/);
  });
});

describe('isRecipientCell', () => {
  it('takes a user id in either case or an email address, nothing else', () => {
    expect([ALICE_ID, ALICE_ID.toUpperCase(), 'Bob@Example.COM'].map(isRecipientCell)).toEqual([true, true, true]);
    expect(['bob', 'a b@example.com', `${'x'.repeat(250)}@example.com`, `${ALICE_ID}x`, ''].map(isRecipientCell)).toEqual([false, false, false, false, false]);
  });
});
