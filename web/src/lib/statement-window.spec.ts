import { statementWindow, utcDate } from './statement-window';

describe('statementWindow', () => {
  it('covers both days whole, in UTC, with an exclusive end', () => {
    expect(statementWindow('2026-12-01', '2026-12-03')).toEqual({ ok: true, from: '2026-12-01T00:00:00.000Z', to: '2026-12-04T00:00:00.000Z' });
    expect(statementWindow('2026-12-03', '2026-12-03')).toEqual({ ok: true, from: '2026-12-03T00:00:00.000Z', to: '2026-12-04T00:00:00.000Z' });
  });

  it('refuses a reversed, too long or missing range', () => {
    expect(statementWindow('2026-12-03', '2026-12-02')).toEqual({ ok: false, error: 'The last day must not be before the first.' });
    expect(statementWindow('2025-01-01', '2026-01-02')).toEqual({ ok: false, error: 'Choose at most 366 days.' });
    expect(statementWindow('', '2026-12-02')).toEqual({ ok: false, error: 'Choose both dates.' });
  });
});

describe('utcDate', () => {
  it('is the UTC calendar day', () => {
    expect(utcDate(Date.parse('2026-12-03T23:59:59Z'))).toBe('2026-12-03');
  });
});
