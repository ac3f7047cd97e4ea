/** Shared by the benchmarks: timing and the table `npm run bench` prints. */
import { performance } from 'node:perf_hooks';

export interface BenchRow {
  case: string;
  value: string;
  /** Against the baseline measured in the same run, e.g. "5.3×". */
  ratio?: string;
  /** The target and whether it was met. */
  target?: string;
}

export interface Bench {
  title: string;
  run(): Promise<BenchRow[]>;
}

/** Median duration of `fn` in milliseconds after a warm-up. */
export async function medianMs(fn: () => unknown, iterations: number): Promise<number> {
  for (let i = 0; i < Math.min(20, iterations); i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

export function ratio(value: number, baseline: number): string {
  return `${(value / baseline).toFixed(1)}×`;
}

export function target(met: boolean, text: string): string {
  return `${text}: ${met ? 'met' : 'MISSED'}`;
}

export function printTable(title: string, rows: BenchRow[]): void {
  const table = [
    ['case', 'value', 'vs baseline', 'target'],
    ...rows.map((r) => [r.case, r.value, r.ratio ?? '', r.target ?? '']),
  ];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  console.log(`\n## ${title}\n`);
  for (const [i, row] of table.entries()) {
    console.log(
      row
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    );
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}
