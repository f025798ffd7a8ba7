import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/open';
import type Database from '../../db/sqlite';
import { DIAGNOSES_SQL, UNCODED_SQL } from '../../electron/services/reports/diagnoses';
import { followUpsReport } from '../../electron/services/reports/follow-ups';
import { DISCOUNTS_SQL } from '../../electron/services/reports/refunds-discounts';
import { BILLED_BY_DOCTOR_SQL, BILLED_BY_SERVICE_SQL } from '../../electron/services/reports/revenue';
import { TEST_KEY } from '../helpers/app';
import { prng } from '../helpers/prng';
import { randomClinic, randomRange, SPAN } from '../helpers/report-dataset';
import * as reference from '../helpers/report-reference';
import { tempDir } from '../helpers/temp';

/**
 * The reports read per-day sums kept by triggers (migration 0026) instead of every bill's lines and
 * every note's diagnoses. On a randomized clinic (bills voided, removed and deleted; notes completed
 * late, removed; visits removed, restored and moved to another day; refunds with credit notes; rows
 * pulled from another desk through the real sync apply, a note before its visit), every figure of
 * every range must equal the same report computed straight from the rows (helpers/report-reference.ts:
 * the statements the reports used before).
 */

type Row = Record<string, unknown>;
const sorted = (rows: Row[]) => rows.map((r) => JSON.stringify(r)).sort();

function both(sqlite: Database.Database, fast: string, slow: string, params: Row) {
  return { fast: sorted(sqlite.prepare(fast).all(params) as Row[]), slow: sorted(sqlite.prepare(slow).all(params) as Row[]) };
}

/** The follow-ups report as the statement before it computed it: per doctor kept, missed, pending. */
function followUpsByReference(sqlite: Database.Database, range: { from: string; to: string }, today: string) {
  const rows = sqlite.prepare(reference.FOLLOW_UPS_SQL).all({ ...range, today, windowDays: 7 }) as { doctorId: string; kept: number; missed: number | null; pending: number | null }[];
  return rows.map((r) => ({ doctorId: r.doctorId, kept: r.kept, missed: r.missed ?? 0, pending: r.pending ?? 0 })).sort((a, b) => a.doctorId.localeCompare(b.doctorId));
}

function expectSameFigures(sqlite: Database.Database, range: { from: string; to: string }) {
  const label = `${range.from}..${range.to}`;
  for (const [name, fast, slow] of [
    ['billed by service', BILLED_BY_SERVICE_SQL, reference.BILLED_BY_SERVICE_SQL],
    ['billed by doctor', BILLED_BY_DOCTOR_SQL, reference.BILLED_BY_DOCTOR_SQL],
    ['discounts', DISCOUNTS_SQL, reference.DISCOUNTS_SQL],
    ['uncoded diagnoses', UNCODED_SQL, reference.UNCODED_SQL],
  ] as const) {
    const r = both(sqlite, fast, slow, range);
    expect(r.fast, `${name} ${label}`).toEqual(r.slow);
  }
  for (const limit of [1000, 3]) {
    const fast = sqlite.prepare(DIAGNOSES_SQL).all({ ...range, limit });
    expect(fast, `top diagnoses (${limit}) ${label}`).toEqual(sqlite.prepare(reference.DIAGNOSES_SQL).all({ ...range, limit }));
  }
  const today = '2026-11-20';
  const report = followUpsReport(sqlite, range, today);
  const figures = report.byDoctor.map((d) => ({ doctorId: d.doctorId, kept: d.kept, missed: d.missed, pending: d.pending })).sort((a, b) => a.doctorId.localeCompare(b.doctorId));
  expect(figures, `follow-ups ${label}`).toEqual(followUpsByReference(sqlite, range, today));
}

describe('reports from per-day sums', () => {
  it('give every figure the rows give, over random ranges of a randomized clinic with voids, removals, moves, refunds and pulled rows', () => {
    const opened = openDatabase(path.join(tempDir(), 'clinic.db'), { key: TEST_KEY });
    try {
      const sqlite = opened.sqlite;
      const made = sqlite.transaction(() => randomClinic(sqlite, 'device-a', 20261206))();
      // The layout is what the test claims: enough of each kind of row, some of them pulled.
      expect(made.visits).toBeGreaterThan(150);
      expect(made.pulled).toBeGreaterThan(10);
      const counted = (sql: string) => sqlite.prepare(sql).pluck().get() as number;
      expect(counted("SELECT count(*) FROM invoices WHERE status = 'void'")).toBeGreaterThan(5);
      expect(counted('SELECT count(*) FROM credit_notes')).toBeGreaterThan(3);
      expect(counted("SELECT count(*) FROM invoices WHERE device_id = 'device-b'")).toBeGreaterThan(3);
      expect(counted("SELECT count(*) FROM consultations c JOIN visits v ON v.id = c.visit_id WHERE c.device_id = 'device-b'")).toBeGreaterThan(3);
      expect(counted("SELECT count(*) FROM report_diagnosis_days WHERE code = '' AND consultations > 0")).toBeGreaterThan(3);

      expectSameFigures(sqlite, SPAN);
      const rng = prng(7);
      for (let i = 0; i < 12; i++) expectSameFigures(sqlite, randomRange(rng));
    } finally {
      opened.sqlite.close();
    }
  });

  it('stay right when a bill, a note and a visit are changed back and forth within one transaction and rolled back', () => {
    const opened = openDatabase(path.join(tempDir(), 'clinic.db'), { key: TEST_KEY });
    try {
      const sqlite = opened.sqlite;
      sqlite.transaction(() => randomClinic(sqlite, 'device-a', 99))();
      const snapshot = () => sqlite.prepare('SELECT * FROM report_billed_days ORDER BY 1, 2, 3').all();
      const before = snapshot();
      expect(() =>
        sqlite.transaction(() => {
          sqlite.prepare("UPDATE invoices SET status = 'void' WHERE status = 'issued'").run();
          sqlite.prepare('UPDATE visits SET deleted_at = 1').run();
          throw new Error('the desk crashed');
        })(),
      ).toThrow('the desk crashed');
      expect(snapshot()).toEqual(before);
      expectSameFigures(sqlite, SPAN);
    } finally {
      opened.sqlite.close();
    }
  });
});
