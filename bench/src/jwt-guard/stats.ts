/**
 * Benchmark helpers: medians and fixed-width number formatting for the
 * markdown tables printed by the jwt-guard benchmark.
 */

import { readFileSync } from 'node:fs';

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

/** The smallest and largest of `values`, as `min-max` ratios (en dash). */
export function spread(values: readonly number[]): string {
  return `${ratio(Math.min(...values))}\u2013${ratio(Math.max(...values))}`;
}

/** An em dash, for a table cell with no figure. */
export const NONE = '\u2014';

/** One markdown table row. */
export function row(cells: readonly (string | number)[]): string {
  return `| ${cells.join(' | ')} |`;
}

/**
 * A markdown table head: the header row and its alignment row, `l` for a
 * left-aligned column and `r` for a right-aligned one.
 */
export function head(headers: readonly string[], align: string): string[] {
  const marks = [...align].map((a) => (a === 'r' ? '---:' : '---'));
  return [row(headers), row(marks)];
}

/** The machine's CPU time so far, from /proc/stat; undefined off Linux. */
export interface CpuTimes {
  readonly total: number;
  readonly steal: number;
}

/** Reads {@link CpuTimes}: every CPU's ticks, and those stolen by the host. */
export function cpuTimes(): CpuTimes | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal ...
    const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
    return { total, steal: ticks[7] ?? 0 };
  } catch {
    return undefined;
  }
}

/**
 * The share of CPU time the hypervisor gave to other guests between two
 * readings, as a percentage; high values mean the figures are unreliable.
 */
export function stealPercent(
  from: CpuTimes | undefined,
  to: CpuTimes | undefined,
): string {
  if (from === undefined || to === undefined || to.total <= from.total) {
    return 'not measured';
  }

  const share = (to.steal - from.steal) / (to.total - from.total);
  return `${(share * 100).toFixed(1)} %`;
}
