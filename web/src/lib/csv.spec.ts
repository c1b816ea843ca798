import { csvField, failedItemsCsv, toCsv } from './csv';
import type { BatchItem } from './types';

describe('csvField', () => {
  it('leaves plain values alone', () => {
    expect(csvField('alice@example.com')).toBe('alice@example.com');
    expect(csvField(1234)).toBe('1234');
    expect(csvField(null)).toBe('');
  });

  it('quotes commas, quotes, line breaks and edge spaces', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField(' padded')).toBe('" padded"');
  });

  it('defuses spreadsheet formulas but not negative numbers', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-12')).toBe('-12');
    expect(csvField(-12)).toBe('-12');
  });
});

describe('toCsv', () => {
  it('joins rows with CRLF and ends with one', () => {
    expect(toCsv([['a', 'b'], [1, null]])).toBe('a,b\r\n1,\r\n');
  });
});

describe('failedItemsCsv', () => {
  it('writes a header and one line per failed item', () => {
    const item: BatchItem = {
      row: 3,
      recipient: 'nobody@example.com',
      amount: null,
      reference: 'inv, 7',
      status: 'FAILED',
      errorCode: 'VALIDATION_FAILED',
      errorMessage: 'amount "abc" is not an integer',
      transactionId: null,
    };
    expect(failedItemsCsv([item])).toBe(
      'row,recipient,amount,reference,errorCode,errorMessage\r\n' +
        '3,nobody@example.com,,"inv, 7",VALIDATION_FAILED,"amount ""abc"" is not an integer"\r\n',
    );
  });
});
