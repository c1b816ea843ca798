const MAX_AMOUNT = 9007199254740991n;

export type ParsedAmount = { ok: true; minor: number } | { ok: false; error: string };

const AMOUNT_PATTERN = /^(\d*)(?:\.(\d*))?$/;

function fail(error: string): ParsedAmount {
  return { ok: false, error };
}

/** Converts an amount typed in the asset's units ("12.34") to minor units (1234) without floats. */
export function parseAmount(input: string, scale: number): ParsedAmount {
  const text = input.trim();
  if (text === '') return fail('Enter an amount.');
  if (text.startsWith('-')) return fail('The amount must be positive.');
  const match = AMOUNT_PATTERN.exec(text);
  if (!match || (match[1] === '' && !match[2])) {
    return fail('Use digits with an optional decimal point, for example 12.34.');
  }
  const fraction = match[2] ?? '';
  if (fraction.length > scale) {
    return fail(scale === 0 ? 'Use whole units only, without decimals.' : `Use at most ${scale} decimal places.`);
  }
  const minor = BigInt((match[1] || '0') + fraction.padEnd(scale, '0'));
  if (minor === 0n) return fail('The amount must be greater than zero.');
  if (minor > MAX_AMOUNT) return fail('The amount is too large.');
  return { ok: true, minor: Number(minor) };
}

/** Formats minor units for display: 1234 with scale 2 → "12.34", -5 with scale 2 → "-0.05". */
export function formatMinor(minor: number | bigint, scale: number): string {
  const value = BigInt(minor);
  const sign = value < 0n ? '-' : '';
  const digits = (value < 0n ? -value : value).toString().padStart(scale + 1, '0');
  if (scale === 0) return sign + digits;
  return `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}
