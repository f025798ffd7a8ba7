/**
 * Crash safety: a writer process registers patients through the router into an encrypted
 * database and is killed with SIGKILL at a random moment, a hundred times over. After every kill
 * the database must open, pass PRAGMA integrity_check, and hold every patient the writer reported
 * committed, whole (each stored field is a function of the MRN), with its change_log insert.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_FOLDER } from '../../db/open';
import { connect, isPlainSqliteFile } from '../../db/sqlite';
import { ADMIN, makeClinic, TEST_KEY, TEST_KEY_HEX } from '../helpers/app';
import { crashPatient, mrnNumber } from '../helpers/crash-patient';
import { prng } from '../helpers/prng';

const KILLS = Number(process.env.CRASH_KILLS ?? 100);
const SEED = Number(process.env.CRASH_SEED ?? 20261121);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// Inside the project, so the bundle finds the native drivers in node_modules.
const bundle = path.join(root, 'node_modules', '.cache', 'clinic-crash-test', 'crash-writer.mjs');

beforeAll(async () => {
  await build({
    entryPoints: [path.join(root, 'test', 'helpers', 'crash-writer.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'error',
  });
});

interface Run {
  committed: string[];
  exitSignal: NodeJS.Signals | null;
  exitCode: number | null;
  stderr: string;
}

/**
 * Starts the writer, kills it `delayMs` after it is ready (or after its first commit: then the kill
 * lands mid-stream however slow a loaded machine makes the first write), and returns what it reported.
 */
function runAndKill(env: NodeJS.ProcessEnv, delayMs: number, after: 'ready' | 'first-commit'): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    let timer: NodeJS.Timeout | null = null;
    const guard = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const started = after === 'ready' ? out.includes('ready\n') : /ready\n[^\n]+\n/.test(out);
      if (!timer && started) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (exitCode, exitSignal) => {
      clearTimeout(guard);
      if (timer) clearTimeout(timer);
      // Only whole lines: a line cut by the kill was not fully reported.
      const lines = out.split('\n').slice(0, -1);
      resolve({ committed: lines.filter((l) => l !== 'ready'), exitCode, exitSignal, stderr });
    });
  });
}

describe('crash safety', () => {
  it(`survives ${KILLS} SIGKILLs during a stream of writes: the database opens, passes integrity_check, and holds every committed patient whole`, async () => {
    const t0 = Date.now();
    const c = makeClinic({ realTime: true });
    const dbFile = c.app.dbFile;
    c.app.close();

    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      CRASH_DATA_DIR: c.dataDir,
      CRASH_USERNAME: ADMIN.username,
      CRASH_PASSWORD: ADMIN.password,
      CRASH_MIGRATIONS: DEFAULT_MIGRATIONS_FOLDER,
      CLINIC_DB_KEY: TEST_KEY_HEX,
      CRASH_CHECKPOINT_EVERY: '4',
    };
    const rand = prng(SEED);
    const reported = new Set<string>();
    let kills = 0;
    let killedWhileWriting = 0;

    for (let i = 0; i < KILLS; i++) {
      // Mostly mid-stream; now and then right at the start (while opening or on the first write).
      const early = rand.next() < 0.15;
      const run = await runAndKill(env, early ? rand.int(0, 5) : rand.int(20, 150), early ? 'ready' : 'first-commit');
      expect(run.stderr, `writer ${i} wrote to stderr`).toBe('');
      expect(run.exitSignal, `writer ${i} was not killed (exit code ${run.exitCode})`).toBe('SIGKILL');
      kills++;
      if (run.committed.length > 0) killedWhileWriting++;

      // The database opens (with the key only), passes its integrity check, and every patient
      // reported committed is there, whole, with its change_log insert.
      const sqlite = connect(dbFile, { key: TEST_KEY });
      try {
        expect(sqlite.pragma('integrity_check', { simple: true }), `integrity after kill ${i}`).toBe('ok');
        const byMrn = sqlite.prepare(
          'SELECT id, given_name, family_name, gender, dob, mobile, address_line1, city, chronic_conditions FROM patients WHERE mrn = ?',
        );
        const inserted = sqlite.prepare("SELECT count(*) FROM change_log WHERE table_name = 'patients' AND row_id = ? AND op = 'insert'").pluck();
        for (const mrn of run.committed) {
          reported.add(mrn);
          const row = byMrn.get(mrn) as Record<string, unknown> | undefined;
          expect(row, `patient ${mrn} reported committed before kill ${i} is missing`).toBeDefined();
          expect(storedFields(row!), `patient ${mrn} is torn`).toEqual(expectedFields(mrnNumber(mrn)));
          expect(inserted.get(row!.id), `change_log insert of ${mrn}`).toBe(1);
        }
      } finally {
        sqlite.close();
      }
    }

    // At the end: nothing reported is lost, every row (also ones committed but not yet reported
    // when the kill came) is whole, numbers have no gaps, and the file is still encrypted.
    expect(isPlainSqliteFile(dbFile)).toBe(false);
    const sqlite = connect(dbFile, { key: TEST_KEY });
    try {
      const rows = sqlite.prepare('SELECT mrn, given_name, family_name, gender, dob, mobile, address_line1, city, chronic_conditions FROM patients').all() as Record<string, unknown>[];
      const mrns = new Set(rows.map((r) => String(r.mrn)));
      for (const mrn of reported) expect(mrns.has(mrn), `lost ${mrn}`).toBe(true);
      for (const r of rows) expect(storedFields(r), `row ${String(r.mrn)}`).toEqual(expectedFields(mrnNumber(String(r.mrn))));
      const numbers = rows.map((r) => mrnNumber(String(r.mrn))).sort((a, b) => a - b);
      expect(numbers).toEqual(numbers.map((_, i) => i + 1));
      const orphans = sqlite
        .prepare("SELECT count(*) FROM change_log l WHERE l.table_name = 'patients' AND NOT EXISTS (SELECT 1 FROM patients p WHERE p.id = l.row_id)")
        .pluck()
        .get();
      expect(orphans).toBe(0);
      console.info(
        `crash safety: ${kills} kills (${killedWhileWriting} mid-stream), ${rows.length} patients committed (${reported.size} reported) in ${Date.now() - t0} ms`,
      );
    } finally {
      sqlite.close();
    }
    expect(killedWhileWriting).toBeGreaterThan(KILLS * 0.6);
  }, 180_000);
});

function storedFields(row: Record<string, unknown>) {
  return {
    givenName: row.given_name,
    familyName: row.family_name,
    gender: row.gender,
    dob: row.dob,
    mobile: row.mobile,
    addressLine1: row.address_line1,
    city: row.city,
    chronicConditions: row.chronic_conditions === null ? [] : (JSON.parse(row.chronic_conditions as string) as string[]),
  };
}

function expectedFields(n: number) {
  const p = crashPatient(n);
  return { ...p };
}
