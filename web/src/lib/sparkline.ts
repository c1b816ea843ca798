import type { Entry } from '../../../libs/contract/src';

/** Balances oldest → newest, from entries listed newest first. */
export function balanceSeries(entries: Entry[]): number[] {
  return entries.flatMap((entry) => (entry.balanceAfter === null ? [] : [entry.balanceAfter])).reverse();
}

/** SVG polyline points scaling the values into a width × height box (y grows downwards). */
export function sparklinePoints(values: number[], width: number, height: number): string {
  if (values.length === 0) return '';
  const series = values.length === 1 ? [values[0], values[0]] : values;
  const min = Math.min(...series);
  const range = Math.max(...series) - min;
  const step = width / (series.length - 1);
  return series
    .map((value, i) => {
      const y = range === 0 ? height / 2 : height - ((value - min) / range) * height;
      return `${round(i * step)},${round(y)}`;
    })
    .join(' ');
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
