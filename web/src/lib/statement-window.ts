/** The service's limit on a statement window. */
export const STATEMENT_DAYS_MAX = 366;

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export type StatementWindow = { ok: true; from: string; to: string } | { ok: false; error: string };

/**
 * The API window for the calendar days `fromDate` to `toDate`, both included, in UTC: from the first day's
 * midnight to the midnight after the last day (the API's `to` is exclusive).
 */
export function statementWindow(fromDate: string, toDate: string): StatementWindow {
  if (!DATE.test(fromDate) || !DATE.test(toDate)) return { ok: false, error: 'Choose both dates.' };
  const fromMs = Date.parse(`${fromDate}T00:00:00Z`);
  const toMs = Date.parse(`${toDate}T00:00:00Z`) + DAY_MS;
  if (Number.isNaN(fromMs) || Number.isNaN(toMs)) return { ok: false, error: 'Choose both dates.' };
  if (toMs <= fromMs) return { ok: false, error: 'The last day must not be before the first.' };
  if (toMs - fromMs > STATEMENT_DAYS_MAX * DAY_MS) return { ok: false, error: `Choose at most ${STATEMENT_DAYS_MAX} days.` };
  return { ok: true, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() };
}

/** "YYYY-MM-DD" of a time, in UTC (the statement's days are UTC days). */
export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
