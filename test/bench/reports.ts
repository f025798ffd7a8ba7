import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClinicApp, type ClinicApp } from '../../electron/app';
import type { Input, MethodName, Output } from '../../electron/api';
import { CENSUS_SQL } from '../../electron/services/reports/census';
import { CREDIT_NOTES_SQL, CREDITED_BY_DOCTOR_SQL, CREDITED_BY_SERVICE_SQL } from '../../electron/services/reports/credit-notes';
import { DIAGNOSES_SQL, UNCODED_SQL } from '../../electron/services/reports/diagnoses';
import { FOLLOW_UPS_SQL } from '../../electron/services/reports/follow-ups';
import { DISCOUNTS_SQL, REFUNDS_SQL } from '../../electron/services/reports/refunds-discounts';
import { BILLED_BY_DOCTOR_SQL, BILLED_BY_SERVICE_SQL, COLLECTED_BY_MODE_SQL, REFUNDED_BY_MODE_SQL } from '../../electron/services/reports/revenue';
import { VISIT_TYPES_SQL } from '../../electron/services/reports/visit-types';
import { isPlainSqliteFile } from '../../db/sqlite';
import type { Result } from '../../shared/api';
import * as fromRows from '../helpers/report-reference';
import { ReportRows } from '../helpers/report-rows';
import { createTriggers, dropTriggers, fillSums, reportTriggers, writeCost } from './report-sums';
import { percentile, round, timed, type BenchContext, type Metric } from './run';
import { ADMIN, createRng, createStaff, SEED, type Rng } from './seed';

/**
 * The owner's reports over a year of a busy clinic: 300 visits a day for 365 days (~110k visits,
 * five doctors), each with a completed consultation (one to three ICD-10 diagnoses), a bill
 * (consultation or follow-up fee, often a test or a medicine, some discounted), its payment, and a
 * refund by line now and then (with its credit note or refund voucher); half the visits advise a follow-up. Rows are written straight into an
 * encrypted clinic database (helpers/report-rows.ts), then each report is asked for a 1-month and
 * a 12-month range through the real router (session, permission, audit row, transaction), and its
 * SQL is run bare through better-sqlite3 on the same connection as the baseline
 * (`router_over_sql.p50` is their ratio). The reports' per-day sums (migration 0026) are filled
 * after the seed as the migration fills them, and what their triggers cost each write is measured
 * apart (report-sums.ts).
 *
 * BENCH_REPORT_VISITS_PER_DAY overrides 300.
 */

const DAY = 86_400_000;
const FIRST = Date.UTC(2025, 11, 1);
const DAYS = 365;
const TODAY_NOON = Date.UTC(2026, 11, 1, 6, 30);
const MONTH = { from: '2026-11-01', to: '2026-11-30' };
const YEAR = { from: '2025-12-01', to: '2026-11-30' };
const REPEATS = { month: 20, year: 8 };
/** The statements from the rows take seconds over a year: three runs of each. */
const FROM_ROWS_REPEATS = 3;

const CODES: [string, string][] = [
  ['J06.9', 'Acute upper respiratory infection'], ['I10', 'Essential hypertension'], ['E11.9', 'Type 2 diabetes mellitus'],
  ['R50.9', 'Fever, unspecified'], ['K29.7', 'Gastritis'], ['M54.5', 'Low back pain'], ['N39.0', 'Urinary tract infection'],
  ['J45.9', 'Asthma'], ['G43.9', 'Migraine'], ['J03.9', 'Acute tonsillitis'], ['E78.5', 'Hyperlipidaemia'], ['D50.9', 'Iron deficiency anaemia'],
];

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function seedYear(rows: ReportRows, doctors: string[], cashier: string, perDay: number, rng: Rng) {
  const patients: string[] = [];
  let n = 0;
  for (let d = 0; d < DAYS; d++) {
    const date = isoDay(FIRST + d * DAY);
    rows.sqlite.transaction(() => {
      for (let k = 0; k < perDay; k++) {
        const fresh = patients.length < 500 || rng.chance(0.35);
        const patientId = fresh ? `P${patients.push(`P${patients.length}`) - 1}` : patients[rng.int(patients.length)]!;
        const doctorId = doctors[rng.int(doctors.length)]!;
        const followUpDate = rng.chance(0.5) ? isoDay(FIRST + (d + 3 + rng.int(28)) * DAY) : null;
        const visitId = rows.visit({ patientId, doctorId, date, followUpDate, status: rng.chance(0.02) ? 'left' : 'done' });
        const diagnoses = Array.from({ length: 1 + rng.int(3) }, () => {
          const [code, title] = rng.pick(CODES);
          return { code, title };
        });
        rows.consultation({ visitId, patientId, doctorId, date, diagnoses, followUpDate });
        if (rng.chance(0.05)) continue;
        const lines = [{ kind: fresh ? ('consultation' as const) : ('follow-up' as const), description: 'Consultation', quantity: 1, ratePaise: fresh ? 50_000 : 20_000, discountPaise: 0, gstRateBp: 0, taxInclusive: false }];
        if (rng.chance(0.3)) lines.push({ kind: 'lab' as never, description: 'CBC', quantity: 1, ratePaise: 30_000, discountPaise: rng.chance(0.2) ? 3_000 : 0, gstRateBp: 0, taxInclusive: false });
        if (rng.chance(0.4)) lines.push({ kind: 'medicine' as never, description: 'Paracetamol', quantity: 1 + rng.int(3), ratePaise: 3_250, discountPaise: 0, gstRateBp: 500, taxInclusive: true });
        const discount = rng.chance(0.1) ? ({ kind: 'percent', value: 1000 } as const) : null;
        const status = rng.chance(0.005) ? 'void' : 'issued';
        const inv = rows.invoice({ number: `2627/A/${String(++n).padStart(6, '0')}`, patientId, doctorId, issuedOn: date, issuedBy: cashier, lines, discount, visitId, status });
        const mode = rng.next() < 0.5 ? 'cash' : rng.next() < 0.8 ? 'upi' : 'card';
        rows.payment({ invoiceId: inv.id, patientId, mode, amountPaise: inv.totalPaise, receivedBy: cashier, receivedOn: date });
        // Now and then a line taken back: the medicine (5% GST: a credit note) or ₹100 of the fee (a refund voucher).
        if (rng.chance(0.01) && status === 'issued') {
          const taxed = lines.findIndex((l) => l.gstRateBp > 0);
          const ask = taxed >= 0 ? { line: taxed, quantity: 1 } : { line: 0, amountPaise: 10_000 };
          rows.refund({ invoiceId: inv.id, patientId, mode, lines: [ask], reason: 'Test not done', refundedBy: cashier, refundedOn: date });
        }
      }
    })();
  }
  return { patients: patients.length, invoices: n };
}

/**
 * The same figures computed straight from the rows, as the reports did before the per-day sums
 * (helpers/report-reference.ts, on today's schema and indexes), for the reports that changed:
 * timed in the same run, so the speed-up does not depend on how loaded the machine is.
 */
function fromRowsQueries(range: { from: string; to: string }): Record<string, [string, Record<string, string | number>][]> {
  const follow = { ...range, today: '2026-12-01', windowDays: 7 };
  return {
    revenue: [
      [COLLECTED_BY_MODE_SQL, range], [REFUNDED_BY_MODE_SQL, range], [fromRows.BILLED_BY_SERVICE_SQL, range], [fromRows.BILLED_BY_DOCTOR_SQL, range],
      [CREDITED_BY_SERVICE_SQL, range], [CREDITED_BY_DOCTOR_SQL, range], [CREDIT_NOTES_SQL, range],
    ],
    refundsDiscounts: [[REFUNDS_SQL, range], [fromRows.DISCOUNTS_SQL, range]],
    diagnoses: [[fromRows.DIAGNOSES_SQL, { ...range, limit: 20 }], [fromRows.UNCODED_SQL, range]],
    followUps: [[fromRows.FOLLOW_UPS_SQL, follow]],
  };
}

/** Each report's statements with the parameters the service gives them. */
function bareQueries(range: { from: string; to: string }): Record<string, [string, Record<string, string | number>][]> {
  return {
    census: [[CENSUS_SQL, range]],
    visitTypes: [[VISIT_TYPES_SQL, range]],
    revenue: [
      [COLLECTED_BY_MODE_SQL, range], [REFUNDED_BY_MODE_SQL, range], [BILLED_BY_SERVICE_SQL, range], [BILLED_BY_DOCTOR_SQL, range],
      [CREDITED_BY_SERVICE_SQL, range], [CREDITED_BY_DOCTOR_SQL, range], [CREDIT_NOTES_SQL, range],
    ],
    refundsDiscounts: [[REFUNDS_SQL, range], [DISCOUNTS_SQL, range]],
    diagnoses: [[DIAGNOSES_SQL, { ...range, limit: 20 }], [UNCODED_SQL, range]],
    followUps: [[FOLLOW_UPS_SQL, { ...range, today: '2026-12-01', windowDays: 7 }]],
  };
}

const METHODS = {
  census: 'reports.census',
  visitTypes: 'reports.visitTypes',
  revenue: 'reports.revenue',
  refundsDiscounts: 'reports.refundsDiscounts',
  diagnoses: 'reports.diagnoses',
  followUps: 'reports.followUps',
} as const;

export async function bench({ report, log }: BenchContext): Promise<void> {
  const perDay = Number(process.env.BENCH_REPORT_VISITS_PER_DAY ?? 300);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-bench-reports-'));
  let app: ClinicApp | undefined;
  try {
    const t0 = Date.now();
    // Encrypted as installed (a key of its own: CLINIC_DB_KEY or not, the bench never runs plain).
    app = createClinicApp({ dataDir: dir, key: randomBytes(32), now: () => TODAY_NOON + (Date.now() - t0), onInternalError: (m, e) => { throw new Error(`internal error in ${m}: ${String(e)}`); } });
    const clinic = app;
    const call = <M extends MethodName>(method: M, input: Input<M>, token: string | null): Output<M> => {
      const r = clinic.router.call(method, input, token) as Result<Output<M>>;
      if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
      return r.value;
    };
    createStaff(clinic);
    const admin = call('auth.login', { username: ADMIN.username, password: ADMIN.password }, null).token;
    const doctors = ['Dr Meera Rao', 'Dr Imran Khan', 'Dr Sunita Patil', 'Dr Arjun Iyer', 'Dr Kavita Joshi'].map(
      (fullName, i) => call('staff.create', { username: `doc${i}`, fullName, password: `bench doctor ${i} password`, roles: ['doctor'] }, admin).id,
    );
    const cashier = call('auth.me', {}, admin).user.id;
    log(`seeding ${DAYS} days × ${perDay} visits`);
    const sqlite = clinic.database.sqlite;
    // The per-day sums are filled once after the seed, as the migration fills them (report-sums.ts).
    const triggers = reportTriggers(sqlite);
    dropTriggers(sqlite, triggers);
    const { ms: seedMs, value: seeded } = timed(() => seedYear(new ReportRows(sqlite, clinic.deviceId), doctors, cashier, perDay, createRng(SEED + 900)));
    createTriggers(sqlite, triggers);
    const fillS = fillSums(sqlite);
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    sqlite.exec('ANALYZE');
    const visits = sqlite.prepare('SELECT count(*) FROM visits').pluck().get() as number;
    const encrypted = !isPlainSqliteFile(path.join(dir, 'clinic.db'));
    report({ name: 'reports.encrypted', value: encrypted ? 1 : 0, unit: 'bool' });
    report({ name: 'reports.seed_s', value: round(seedMs / 1000), unit: 's', n: visits, patients: seeded.patients, invoices: seeded.invoices });
    report({ name: 'reports.sums.fill_s', value: round(fillS), unit: 's', n: visits });
    for (const [label, range] of [['1m', MONTH], ['12m', YEAR]] as const) timeReports(label, range, { sqlite, report, visits, runApp: (method) => call(method, range, admin) });
    writeCost(sqlite, clinic.deviceId, report);
  } finally {
    app?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Each report through the router and its statements bare, interleaved on the same connection. */
function timeReports(
  label: '1m' | '12m',
  range: { from: string; to: string },
  ctx: { sqlite: ClinicApp['database']['sqlite']; report: (m: Metric) => void; visits: number; runApp: (method: (typeof METHODS)[keyof typeof METHODS]) => unknown },
) {
  const { sqlite, report, visits } = ctx;
  const repeats = label === '1m' ? REPEATS.month : REPEATS.year;
  const bare = bareQueries(range);
  for (const [name, method] of Object.entries(METHODS) as [keyof typeof METHODS, (typeof METHODS)[keyof typeof METHODS]][]) {
    const statements = bare[name]!.map(([text, params]) => ({ stmt: sqlite.prepare(text), params }));
    const runBare = () => statements.forEach(({ stmt, params }) => stmt.all(params));
    const runApp = () => ctx.runApp(method);
    runApp(); // warm: statements prepared, pages in the cache
    runBare();
    const appMs: number[] = [];
    const bareMs: number[] = [];
    for (let i = 0; i < repeats; i++) {
      appMs.push(timed(runApp).ms);
      bareMs.push(timed(runBare).ms);
    }
    for (const [kind, samples] of [['app', appMs], ['bare', bareMs]] as const) {
      report({ name: `reports.${name}.${label}.${kind}.p50_ms`, value: round(percentile(samples, 50)), unit: 'ms', n: samples.length, visits });
      report({ name: `reports.${name}.${label}.${kind}.p95_ms`, value: round(percentile(samples, 95)), unit: 'ms', n: samples.length, visits });
    }
    const ratio = percentile(appMs, 50) / percentile(bareMs, 50);
    report({ name: `reports.${name}.${label}.router_over_sql.p50`, value: round(ratio), unit: 'x', n: repeats, visits });
    const slow = label === '12m' ? fromRowsQueries(range)[name] : undefined;
    if (slow) {
      const stmts = slow.map(([text, params]) => ({ stmt: sqlite.prepare(text), params }));
      const slowMs = Array.from({ length: FROM_ROWS_REPEATS }, () => timed(() => stmts.forEach(({ stmt, params }) => stmt.all(params))).ms);
      report({ name: `reports.${name}.${label}.from_rows.p50_ms`, value: round(percentile(slowMs, 50)), unit: 'ms', n: slowMs.length, visits });
      report({ name: `reports.${name}.${label}.speedup_over_rows.p50`, value: round(percentile(slowMs, 50) / percentile(bareMs, 50), 1), unit: 'x', n: slowMs.length, visits });
    }
  }
}

