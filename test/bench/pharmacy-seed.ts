import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClinicApp, type ClinicApp } from '../../electron/app';
import type { Input, MethodName, Output } from '../../electron/api';
import type { Result } from '../../shared/api';
import { ADMIN, BENCH_DB_KEY, CACHE_DIR, createRng, createStaff, SEED_END } from './seed';

/**
 * The pharmacy bench's database: BENCH_PHARMACY_BATCHES batches over one twentieth as many drugs
 * and BENCH_PHARMACY_MOVES ledger rows (a receipt per batch, the rest small dispenses), encrypted
 * as installed, built once with bare multi-row INSERTs in big transactions and cached under
 * .bench-cache/ (reused by every later run, like the million-patient clinic).
 *
 * The cache key holds the number of migrations: a copy opened by a newer app would otherwise run
 * the new migrations (an index over two million rows) inside the timed run's start, every run.
 * Bump BENCH_VERSION when what is generated changes.
 */
const BENCH_VERSION = 'v2';
export const PHARMACIST = { username: 'pharma', fullName: 'Pooja Kulkarni', password: 'bench pharmacist password' };
export const BATCHES_PER_DRUG = 20;
const RECEIPT_UNITS = 100_000;
/** Rows per INSERT statement (13 columns × 500 stays under SQLite's 32,766 parameters) and per transaction. */
const PER_STATEMENT = 500;
const PER_TRANSACTION = 250_000;

export const drugId = (i: number) => `00000000-0000-7000-b000-${String(i).padStart(12, '0')}`;
export const batchId = (i: number) => `00000000-0000-7000-b100-${String(i).padStart(12, '0')}`;
const moveId = (i: number) => `00000000-0000-7000-b200-${String(i).padStart(12, '0')}`;

export function ok<M extends MethodName>(app: ClinicApp, method: M, input: Input<M>, token: string | null): Output<M> {
  const r = app.router.call(method, input, token) as Result<Output<M>>;
  if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
  return r.value;
}

type Sqlite = ClinicApp['database']['sqlite'];

/** Rows `from`..`to` in statements of PER_STATEMENT rows each, in the caller's transaction. */
function bulk(sqlite: Sqlite, head: string, columns: number, from: number, to: number, row: (i: number) => unknown[]): void {
  const one = `(${Array.from({ length: columns }, () => '?').join(',')})`;
  const statement = (n: number) => sqlite.prepare(`${head} VALUES ${Array.from({ length: n }, () => one).join(',')}`);
  const full = statement(PER_STATEMENT);
  for (let start = from; start < to; start += PER_STATEMENT) {
    const n = Math.min(PER_STATEMENT, to - start);
    const values: unknown[] = [];
    for (let i = start; i < start + n; i++) values.push(...row(i));
    (n === PER_STATEMENT ? full : statement(n)).run(...values);
  }
}

/** The indexes of a table as created by the migrations, to drop before a bulk load and make again after (a sort, not 2M random inserts). */
function indexesOf(sqlite: Sqlite, table: string): { name: string; sql: string }[] {
  return sqlite.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL").all(table) as { name: string; sql: string }[];
}

/** Builds the pharmacy's database in `dir`; returns its checkpointed file. */
// Long by design: one build in order (staff through the router, then drugs, batches, the ledger, indexes, checkpoint), each step timed to the log.
function build(dir: string, batches: number, moves: number, log: (m: string) => void): string {
  let clock = SEED_END - 30 * 86_400_000;
  const app = createClinicApp({ dataDir: dir, key: BENCH_DB_KEY, now: () => (clock += 7) });
  try {
    createStaff(app);
    const admin = ok(app, 'auth.login', { username: ADMIN.username, password: ADMIN.password }, null).token;
    const pharmacist = ok(app, 'staff.create', { ...PHARMACIST, roles: ['pharmacist'] }, admin).id;
    const sqlite = app.database.sqlite;
    sqlite.pragma('synchronous = OFF');
    sqlite.pragma('cache_size = -1048576');
    sqlite.pragma('temp_store = MEMORY');
    const drugs = Math.ceil(batches / BATCHES_PER_DRUG);
    const dev = app.deviceId;
    const hlc = '000000000000000-0000-bench';
    const rng = createRng(20261206);
    const t0 = Date.now();
    const lap = (what: string) => log(`  ${what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const dropped = [...indexesOf(sqlite, 'stock_batches'), ...indexesOf(sqlite, 'stock_movements')];
    for (const ix of dropped) sqlite.prepare(`DROP INDEX "${ix.name}"`).run();
    sqlite.transaction(() => {
      bulk(sqlite, 'INSERT INTO drugs (id, created_at, updated_at, hlc, device_id, generic_name, form, strength, route, source, source_code, hsn_code, gst_rate_bp)', 13, 0, drugs, (i) => [
        drugId(i), 0, 0, hlc, dev, `Benchdrug ${i}`, 'tablet', '500 mg', 'oral', 'bench', `B${i}`, '3004', 1200,
      ]);
      bulk(sqlite, 'INSERT INTO stock_batches (id, created_at, updated_at, hlc, device_id, drug_id, batch_number, expiry, mrp_paise, purchase_rate_paise, gst_rate_bp, hsn_code, pack_size)', 13, 0, batches, (i) => [
        batchId(i), i, i, hlc, dev, drugId(i % drugs), `BN${i}`, `20${27 + (i % 4)}-${String(1 + (i % 12)).padStart(2, '0')}-28`, 2500, 1500, 1200, '3004', 10,
      ]);
    })();
    lap('drugs and batches');
    // Each batch: one receipt, then dispenses of 1 to 10 units, round-robin over the batches.
    const movement = (i: number) => {
      const b = i % batches;
      const receipt = i < batches;
      return [moveId(i), i, i, hlc, dev, batchId(b), drugId(b % drugs), receipt ? 'receipt' : 'dispense', receipt ? RECEIPT_UNITS : -(1 + rng.int(10)), i, pharmacist];
    };
    const insertMoves = sqlite.transaction((from: number, to: number) =>
      bulk(sqlite, 'INSERT INTO stock_movements (id, created_at, updated_at, hlc, device_id, batch_id, drug_id, kind, qty, moved_at, moved_by)', 11, from, to, movement),
    );
    for (let from = 0; from < moves; from += PER_TRANSACTION) {
      insertMoves(from, Math.min(moves, from + PER_TRANSACTION));
      lap(`${Math.min(moves, from + PER_TRANSACTION).toLocaleString('en-IN')} movements`);
    }
    for (const ix of dropped) sqlite.prepare(ix.sql).run();
    lap('indexes');
    sqlite.pragma('optimize');
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    lap('checkpoint');
    return app.dbFile;
  } finally {
    app.close();
  }
}

const MIGRATIONS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../db/migrations/meta/_journal.json');

export function ensurePharmacy(batches: number, moves: number, log: (m: string) => void): { file: string; built: boolean; seconds: number } {
  const migrations = (JSON.parse(fs.readFileSync(MIGRATIONS, 'utf8')) as { entries: unknown[] }).entries.length;
  const file = path.join(CACHE_DIR, `pharmacy-${BENCH_VERSION}-m${migrations}-${batches}-${moves}-encrypted.db`);
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
