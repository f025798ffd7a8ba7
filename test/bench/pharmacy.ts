import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isPlainSqliteFile } from '../../db/open';
import { createClinicApp, type ClinicApp } from '../../electron/app';
import { fefo, itemOnHand } from '../../electron/services/pharmacy';
import { percentile, round, timed, type BenchContext, type Metric } from './run';
import { BENCH_DB_KEY, createRng, SEED_END } from './seed';
import { BarePharmacy } from './pharmacy-bare';
import { BATCHES_PER_DRUG, batchId, drugId, ensurePharmacy, ok, PHARMACIST } from './pharmacy-seed';

/**
 * The pharmacy at a busy chain's size (issue #18): BENCH_PHARMACY_BATCHES batches (default
 * 100,000, over one twentieth as many drugs) and BENCH_PHARMACY_MOVES ledger rows (default
 * 2,000,000), on the encrypted database as installed, built once and cached (pharmacy-seed.ts).
 * Measured warm, on a copy:
 *   - pharmacy.item_on_hand: one item's stock on hand (the ledger sum, services/pharmacy itemOnHand);
 *   - pharmacy.fefo: the first-expiry-first-out proposal for one item;
 *   - pharmacy.stock: one item's stock through the router, in all and per batch (what the screen shows);
 *   - pharmacy.adjust: one adjustment through the router (a single write's cost, for comparison);
 *   - pharmacy.dispense: an over-the-counter dispense through the router (FEFO over the item's
 *     batches, the dispense, its lines, the movements, audit and signed change_log rows), each
 *     paired with the same dispense as a bare transaction (pharmacy-bare.ts), the order
 *     alternating: pharmacy.dispense.router_over_sql.p50 is the in-run ratio, which holds on a
 *     loaded machine where the absolute times do not.
 * Targets: dispense p95 ≤ 5 ms, one item's stock on hand p95 ≤ 2 ms. Every figure carries the
 * load average when it was taken (`loadavg`, as /proc/loadavg has it).
 */

/** The clinic's day when measured: SEED_END + 10 h is the 21st in India too. */
const TODAY = '2026-11-21';

const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

// Long by design: one run in order (copy, open, log in, each measure, the interleaved pairs), sharing the opened app and its figures' context.
export async function bench({ report, log }: BenchContext): Promise<void> {
  const batches = Number(process.env.BENCH_PHARMACY_BATCHES ?? 100_000);
  const moves = Number(process.env.BENCH_PHARMACY_MOVES ?? 2_000_000);
  const runs = Number(process.env.BENCH_PHARMACY_RUNS ?? 1000);
  const seeded = ensurePharmacy(batches, moves, log);
  if (seeded.built) report({ name: 'pharmacy.seed_s', value: round(seeded.seconds, 1), unit: 's', n: moves, loadavg: loadavg() });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-bench-pharmacy-'));
  let app: ClinicApp | undefined;
  try {
    fs.copyFileSync(seeded.file, path.join(dir, 'clinic.db'));
    const t0 = Date.now();
    const now = () => SEED_END + 10 * 3_600_000 + (Date.now() - t0);
    app = createClinicApp({
      dataDir: dir,
      key: BENCH_DB_KEY,
      now,
      onInternalError: (method, error) => {
        throw new Error(`internal error in ${method}: ${String(error)}`);
      },
    });
    const clinic = app;
    const encrypted = isPlainSqliteFile(path.join(dir, 'clinic.db')) ? 0 : 1;
    report({ name: 'bench.encrypted', value: encrypted, unit: 'bool', bench: 'pharmacy' });
    const token = ok(clinic, 'auth.login', { username: PHARMACIST.username, password: PHARMACIST.password }, null).token;
    const me = ok(clinic, 'auth.me', {}, token).user;
    const drugs = Math.ceil(batches / BATCHES_PER_DRUG);
    const rng = createRng(7);
    const extra = { batches, moves, encrypted };
    const emit = (m: Metric) => report({ ...m, ...extra, loadavg: loadavg() });
    emit({ name: 'pharmacy.batches', value: batches, unit: 'rows' });
    emit({ name: 'pharmacy.moves', value: moves, unit: 'rows' });
    const measure = (name: string, fn: (i: number) => unknown) => {
      for (let i = 0; i < 20; i++) fn(i);
      const samples = Array.from({ length: runs }, (_, i) => timed(() => fn(i)).ms);
      emit({ name: `${name}.p50_ms`, value: round(percentile(samples, 50), 3), unit: 'ms', n: runs });
      emit({ name: `${name}.p95_ms`, value: round(percentile(samples, 95), 3), unit: 'ms', n: runs });
    };
    measure('pharmacy.item_on_hand', () => itemOnHand(clinic.database.sqlite, drugId(rng.int(drugs))));
    measure('pharmacy.fefo', () => fefo(clinic.database.sqlite, drugId(rng.int(drugs)), 1 + rng.int(15), TODAY));
    measure('pharmacy.stock', () => ok(clinic, 'pharmacy.stock', { drugId: drugId(rng.int(drugs)) }, token));
    // One movement through the router: what any single write costs here (session, audit, signing), for comparison.
    measure('pharmacy.adjust', () => ok(clinic, 'pharmacy.adjust', { batchId: batchId(rng.int(batches)), quantity: 1, reason: 'bench recount' }, token));

    // The dispense, each through the router and as a bare transaction of the same drug and quantity, the order alternating.
    const bare = new BarePharmacy(clinic.database.sqlite, clinic.deviceId, { id: me.id, username: me.username }, TODAY);
    const viaRouter = (d: string, q: number) => timed(() => ok(clinic, 'pharmacy.dispense', { lines: [{ drugId: d, quantity: q }] }, token)).ms;
    const viaSql = (d: string, q: number) => timed(() => bare.dispenseOtc(d, q, now())).ms;
    for (let k = 0; k < 20; k++) {
      viaRouter(drugId(rng.int(drugs)), 1);
      viaSql(drugId(rng.int(drugs)), 1);
    }
    const r: number[] = [];
    const s: number[] = [];
    for (let k = 0; k < runs; k++) {
      const d = drugId(rng.int(drugs));
      const q = 1 + rng.int(15);
      if (k % 2 === 0) {
        r.push(viaRouter(d, q));
        s.push(viaSql(d, q));
      } else {
        s.push(viaSql(d, q));
        r.push(viaRouter(d, q));
      }
    }
    const [rp50, rp95, sp50, sp95] = [percentile(r, 50), percentile(r, 95), percentile(s, 50), percentile(s, 95)];
    emit({ name: 'pharmacy.dispense.p50_ms', value: round(rp50, 3), unit: 'ms', n: runs });
    emit({ name: 'pharmacy.dispense.p95_ms', value: round(rp95, 3), unit: 'ms', n: runs });
    emit({ name: 'pharmacy.dispense.sql.p50_ms', value: round(sp50, 3), unit: 'ms', n: runs });
    emit({ name: 'pharmacy.dispense.sql.p95_ms', value: round(sp95, 3), unit: 'ms', n: runs });
    emit({ name: 'pharmacy.dispense.router_over_sql.p50', value: round(rp50 / sp50), unit: 'ratio', n: runs, router_p50_ms: round(rp50, 3), sql_p50_ms: round(sp50, 3) });
    emit({ name: 'pharmacy.dispense.router_over_sql.p95', value: round(rp95 / sp95), unit: 'ratio', n: runs, router_p95_ms: round(rp95, 3), sql_p95_ms: round(sp95, 3) });
  } finally {
    app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
