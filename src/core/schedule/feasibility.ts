/**
 * Frequency rules that cannot be met, found before a manifest is signed. Each
 * problem names the item and the field, for a JSON pointer.
 */
import type { SchedulableItem } from './engine.ts';

export interface ScheduleProblem {
  index: number;
  field: 'every' | 'share';
  code: 'share.total' | 'every.too-short' | 'every.total';
}

export function infeasibleFrequencies(items: readonly SchedulableItem[]): ScheduleProblem[] {
  const problems: ScheduleProblem[] = [];
  const seconds = (it: SchedulableItem) => Math.min(it.duration ?? 0, it.maxDuration ?? Infinity);
  const normal = items.map((it, index) => ({ it, index })).filter(({ it }) => it.priority !== 'urgent');

  const shares = normal.filter(({ it }) => it.schedule?.share !== undefined);
  const shareTotal = shares.reduce((sum, { it }) => sum + it.schedule!.share!, 0);
  // Allow for rounding: three items at 1/3 each written as 0.333.
  if (shareTotal > 1.001)
    for (const { index } of shares) problems.push({ index, field: 'share', code: 'share.total' });

  const every = normal.filter(({ it }) => it.schedule?.every !== undefined);
  let load = 0;
  for (const { it, index } of every) {
    const period = it.schedule!.every! * 60;
    if (seconds(it) > period) problems.push({ index, field: 'every', code: 'every.too-short' });
    load += seconds(it) / period;
  }
  if (load > 1) for (const { index } of every) problems.push({ index, field: 'every', code: 'every.total' });
  return problems;
}
