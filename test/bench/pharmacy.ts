import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClinicApp, type ClinicApp } from '../../electron/app';
import { fefo, itemOnHand } from '../../electron/services/pharmacy';
import { percentile, round, timed, type BenchContext } from './run';
import { BENCH_DB_KEY, createRng, SEED_END } from './seed';
import { BATCHES_PER_DRUG, batchId, drugId, ensurePharmacy, ok, PHARMACIST } from './pharmacy-seed';

/**
 * The pharmacy at a busy chain's size: BENCH_PHARMACY_BATCHES batches (default 100,000, over one
 * twentieth as many drugs) and BENCH_PHARMACY_MOVES ledger rows (default 2,000,000: a receipt per
 * batch, the rest small dispenses), on the encrypted database, built once with raw multi-row
 * INSERTs in one transaction and cached under .bench-cache/. Measured, warm:
 *   - pharmacy.item_on_hand: one item's stock on hand (the ledger sum, services/pharmacy itemOnHand);
 *   - pharmacy.fefo: the first-expiry-first-out proposal for one item (its batches with their stock);
 *   - pharmacy.stock: the same through the router with every batch's stock (what the screen shows);
 *   - pharmacy.dispense: an over-the-counter dispense through the router (FEFO over the item's
 *     batches, the dispense, its line, the movement, audit and signed change_log rows).
 *   - pharmacy.adjust: one adjustment through the router (a single write's cost, for comparison).
 * Targets: dispense p95 ≤ 5 ms, item on hand p95 ≤ 2 ms.
 */

export async function bench({ report, log }: BenchContext): Promise<void> {
  const batches = Number(process.env.BENCH_PHARMACY_BATCHES ?? 100_000);
  const moves = Number(process.env.BENCH_PHARMACY_MOVES ?? 2_000_000);
  const runs = Number(process.env.BENCH_PHARMACY_RUNS ?? 1000);
  const seeded = ensurePharmacy(batches, moves, log);
  if (seeded.built) report({ name: 'pharmacy.seed_s', value: round(seeded.seconds, 1), unit: 's', n: moves });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-bench-pharmacy-'));
  let app: ClinicApp | undefined;
  try {
    fs.copyFileSync(seeded.file, path.join(dir, 'clinic.db'));
    const t0 = Date.now();
    app = createClinicApp({ dataDir: dir, key: BENCH_DB_KEY, now: () => SEED_END + 10 * 3_600_000 + (Date.now() - t0) });
    const clinic = app;
    const token = ok(clinic, 'auth.login', { username: PHARMACIST.username, password: PHARMACIST.password }, null).token;
    const drugs = Math.ceil(batches / BATCHES_PER_DRUG);
    const rng = createRng(7);
    // The machine's load when measured: the figures are only comparable on a quiet machine.
    const extra = { batches, movements: moves, load: round(os.loadavg()[0] ?? 0, 1) };
    const measure = (name: string, fn: (i: number) => unknown) => {
      for (let i = 0; i < 20; i++) fn(i);
      const samples = Array.from({ length: runs }, (_, i) => timed(() => fn(i)).ms);
      report({ name: `${name}.p50_ms`, value: round(percentile(samples, 50), 3), unit: 'ms', n: runs, ...extra });
      report({ name: `${name}.p95_ms`, value: round(percentile(samples, 95), 3), unit: 'ms', n: runs, ...extra });
    };
    measure('pharmacy.item_on_hand', () => itemOnHand(clinic.database.sqlite, drugId(rng.int(drugs))));
    measure('pharmacy.fefo', () => fefo(clinic.database.sqlite, drugId(rng.int(drugs)), 1 + rng.int(15), '2026-11-21'));
    measure('pharmacy.stock', () => ok(clinic, 'pharmacy.stock', { drugId: drugId(rng.int(drugs)) }, token));
    // One movement through the router: what any single write costs here (session, audit, signing), for comparison.
    measure('pharmacy.adjust', () => ok(clinic, 'pharmacy.adjust', { batchId: batchId(rng.int(batches)), quantity: 1, reason: 'bench recount' }, token));
    measure('pharmacy.dispense', () => ok(clinic, 'pharmacy.dispense', { lines: [{ drugId: drugId(rng.int(drugs)), quantity: 1 + rng.int(15) }] }, token));
  } finally {
    app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
