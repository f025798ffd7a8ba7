import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClinicApp, type ClinicApp } from '../../electron/app';
import type { Input, MethodName, Output } from '../../electron/api';
import { fefo, itemOnHand } from '../../electron/services/pharmacy';
import type { Result } from '../../shared/api';
import { percentile, round, timed, type BenchContext } from './run';
import { ADMIN, BENCH_DB_KEY, CACHE_DIR, createRng, createStaff, SEED_END } from './seed';

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

const BENCH_VERSION = 'v1';
const PHARMACIST = { username: 'pharma', fullName: 'Pooja Kulkarni', password: 'bench pharmacist password' };
const BATCHES_PER_DRUG = 20;
const RECEIPT_UNITS = 100_000;

function ok<M extends MethodName>(app: ClinicApp, method: M, input: Input<M>, token: string | null): Output<M> {
  const r = app.router.call(method, input, token) as Result<Output<M>>;
  if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
  return r.value;
}

const drugId = (i: number) => `00000000-0000-7000-b000-${String(i).padStart(12, '0')}`;
const batchId = (i: number) => `00000000-0000-7000-b100-${String(i).padStart(12, '0')}`;
const moveId = (i: number) => `00000000-0000-7000-b200-${String(i).padStart(12, '0')}`;

/** Rows in statements of `per` rows each, all in the caller's transaction. */
function bulk(sqlite: ClinicApp['database']['sqlite'], head: string, columns: number, per: number, rows: number, row: (i: number) => unknown[]): void {
  const one = `(${Array.from({ length: columns }, () => '?').join(',')})`;
  const full = sqlite.prepare(`${head} VALUES ${Array.from({ length: per }, () => one).join(',')}`);
  for (let start = 0; start < rows; start += per) {
    const n = Math.min(per, rows - start);
    const values: unknown[] = [];
    for (let i = start; i < start + n; i++) values.push(...row(i));
    (n === per ? full : sqlite.prepare(`${head} VALUES ${Array.from({ length: n }, () => one).join(',')}`)).run(...values);
  }
}

/** Builds the pharmacy's database in `dir`; returns its checkpointed file. */
function build(dir: string, batches: number, moves: number, log: (m: string) => void): string {
  let clock = SEED_END - 30 * 86_400_000;
  const app = createClinicApp({ dataDir: dir, key: BENCH_DB_KEY, now: () => (clock += 7) });
  try {
    createStaff(app);
    const admin = ok(app, 'auth.login', { username: ADMIN.username, password: ADMIN.password }, null).token;
    const pharmacist = ok(app, 'staff.create', { ...PHARMACIST, roles: ['pharmacist'] }, admin).id;
    const sqlite = app.database.sqlite;
    sqlite.pragma('synchronous = OFF');
    const drugs = Math.ceil(batches / BATCHES_PER_DRUG);
    const dev = app.deviceId;
    const hlc = '000000000000000-0000-bench';
    const rng = createRng(20261206);
    const t0 = Date.now();
    sqlite.transaction(() => {
      bulk(sqlite, 'INSERT INTO drugs (id, created_at, updated_at, hlc, device_id, generic_name, form, strength, route, source, source_code, hsn_code, gst_rate_bp)', 13, 500, drugs, (i) => [
        drugId(i), 0, 0, hlc, dev, `Benchdrug ${i}`, 'tablet', '500 mg', 'oral', 'bench', `B${i}`, '3004', 1200,
      ]);
      bulk(sqlite, 'INSERT INTO stock_batches (id, created_at, updated_at, hlc, device_id, drug_id, batch_number, expiry, mrp_paise, purchase_rate_paise, gst_rate_bp, hsn_code, pack_size)', 13, 500, batches, (i) => [
        batchId(i), i, i, hlc, dev, drugId(i % drugs), `BN${i}`, `20${27 + (i % 4)}-${String(1 + (i % 12)).padStart(2, '0')}-28`, 2500, 1500, 1200, '3004', 10,
      ]);
      log(`  drugs and batches: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      // Each batch: one receipt, then dispenses of 1 to 10 units, round-robin over the batches.
      bulk(sqlite, 'INSERT INTO stock_movements (id, created_at, updated_at, hlc, device_id, batch_id, drug_id, kind, qty, moved_at, moved_by)', 11, 500, moves, (i) => {
        const b = i % batches;
        const receipt = i < batches;
        return [moveId(i), i, i, hlc, dev, batchId(b), drugId(b % drugs), receipt ? 'receipt' : 'dispense', receipt ? RECEIPT_UNITS : -(1 + rng.int(10)), i, pharmacist];
      });
    })();
    log(`  ${moves.toLocaleString('en-IN')} movements: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    sqlite.pragma('optimize');
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    return app.dbFile;
  } finally {
    app.close();
  }
}

function ensureBuilt(batches: number, moves: number, log: (m: string) => void): { file: string; built: boolean; seconds: number } {
  const file = path.join(CACHE_DIR, `pharmacy-${BENCH_VERSION}-${batches}-${moves}-encrypted.db`);
  if (fs.existsSync(file)) return { file, built: false, seconds: 0 };
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const dir = fs.mkdtempSync(path.join(CACHE_DIR, 'build-pharmacy-'));
  try {
    const started = Date.now();
    log(`building the pharmacy: ${batches.toLocaleString('en-IN')} batches, ${moves.toLocaleString('en-IN')} movements`);
    fs.renameSync(build(dir, batches, moves, log), file);
    return { file, built: true, seconds: (Date.now() - started) / 1000 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function bench({ report, log }: BenchContext): Promise<void> {
  const batches = Number(process.env.BENCH_PHARMACY_BATCHES ?? 100_000);
  const moves = Number(process.env.BENCH_PHARMACY_MOVES ?? 2_000_000);
  const runs = Number(process.env.BENCH_PHARMACY_RUNS ?? 1000);
  const seeded = ensureBuilt(batches, moves, log);
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
