/**
 * Benchmark helpers: medians and fixed-width number formatting for the
 * markdown tables printed by the jwt-guard benchmark.
 */

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] as number;
  return ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** A rate rounded to a whole number with thousands separators. */
export function rate(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** A ratio with two decimals. */
export function ratio(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : 'n/a';
}

/** The smallest and largest of `values`, as `min–max` ratios. */
export function spread(values: readonly number[]): string {
  return `${ratio(Math.min(...values))}–${ratio(Math.max(...values))}`;
}
