import { failedItemsCsv, toCsv } from './csv';
import type { BatchItem } from '../../../libs/contract/src';

const cell = (value: string | number | null) => toCsv([[value]]).slice(0, -2);

describe('toCsv', () => {
  it('leaves plain values alone', () => {
    expect(cell('alice@example.com')).toBe('alice@example.com');
    expect(cell(1234)).toBe('1234');
    expect(cell(null)).toBe('');
  });

  it('quotes commas, quotes, line breaks, edge spaces, semicolons and tabs', () => {
    expect(cell('a,b')).toBe('"a,b"');
    expect(cell('say "hi"')).toBe('"say ""hi"""');
    expect(cell('two\r\nlines')).toBe('"two\r\nlines"');
    expect(cell(' padded')).toBe('" padded"');
    expect(cell('a;=1+1')).toBe('"a;=1+1"');
    expect(cell('a\t=1+1')).toBe('"a\t=1+1"');
  });

  it('defuses spreadsheet formulas but not negative numbers', () => {
    expect(cell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(cell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(cell('+1')).toBe("'+1");
    expect(cell('\t=1')).toBe(`"'\t=1"`);
    expect(cell('-12')).toBe('-12');
    expect(cell(-12)).toBe('-12');
  });

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
