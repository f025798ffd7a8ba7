import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * `npm run bench [-- name...]`: runs every benchmark file in test/bench (a module exporting a
 * `bench` function) and prints one JSON object per line to stdout, e.g.
 *   {"name":"patients.search.p95_ms","value":3.2,"unit":"ms","n":2000}
 * Progress goes to stderr. Nothing about time is asserted; compare the lines with the targets.
 * Arguments, if any, pick benchmark files by name (e.g. `npm run bench -- patients`).
 */

export interface Metric {
  name: string;
  value: number;
  unit: string;
  n?: number;
  [extra: string]: string | number | boolean | undefined;
}

export interface BenchContext {
  // Properties, not methods: benches destructure them ({ report, log }).
  report: (metric: Metric) => void;
  log: (message: string) => void;
}

export type Bench = (ctx: BenchContext) => void | Promise<void>;

/** Nearest-rank percentile (p in 0..100) of unsorted samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Milliseconds taken by fn, measured with the monotonic high-resolution clock. */
export function timed<T>(fn: () => T): { ms: number; value: T } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

const isBench = (v: unknown): v is Bench => typeof v === 'function';

async function main(): Promise<void> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const self = path.basename(fileURLToPath(import.meta.url));
  const wanted = process.argv.slice(2);
  const files = fs
    .readdirSync(here)
    .filter((f) => f.endsWith('.ts') && f !== self && !f.endsWith('.d.ts'))
    .sort();
  const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
  const report = (metric: Metric) => process.stdout.write(`${JSON.stringify(metric)}\n`);
  let ran = 0;
  for (const file of files) {
    const name = path.basename(file, '.ts');
    if (wanted.length > 0 && !wanted.includes(name)) continue;
    const mod = (await import(pathToFileURL(path.join(here, file)).href)) as Record<string, unknown>;
    const bench = mod.bench;
    if (!isBench(bench)) continue;
    log(`${name}: starting`);
    const started = process.hrtime.bigint();
    await bench({ report, log: (m) => log(`${name}: ${m}`) });
    log(`${name}: done in ${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)} s`);
    ran++;
  }
  if (ran === 0) {
    log(`no benchmark matched ${wanted.join(', ') || '(any)'}`);
    process.exitCode = 1;
  }
}

const invokedDirectly = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main().catch((error: unknown) => {
    process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
