import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIAGNOSES_SQL, UNCODED_SQL } from '../../../electron/services/reports/diagnoses';
import { DISCOUNTS_SQL } from '../../../electron/services/reports/refunds-discounts';
import { BILLED_BY_DOCTOR_SQL, BILLED_BY_SERVICE_SQL } from '../../../electron/services/reports/revenue';
import { migrateRest, migrateTo } from '../../helpers/migrations';
import { randomClinic, SPAN } from '../../helpers/report-dataset';
import * as reference from '../../helpers/report-reference';
import { ReportRows } from '../../helpers/report-rows';
import { tempDir } from '../../helpers/temp';

/**
 * 0026 adds the reports' per-day sums (bills by day and doctor, their lines by kind, diagnoses by
 * the visit's day and code, the titles written for each code) with the triggers that keep them,
 * and fills them from the rows a workstation already has: a clinic upgraded with a year of bills
 * and notes must show the same reports the next morning, and keep them right as it goes on.
 */

type Row = Record<string, unknown>;

function figures(sqlite: ReturnType<typeof migrateRest>['sqlite'], fast: boolean) {
  const q = (sql: string, params: Row) => (sqlite.prepare(sql).all(params) as Row[]).map((r) => JSON.stringify(r)).sort();
  const range = SPAN;
  return {
    services: q(fast ? BILLED_BY_SERVICE_SQL : reference.BILLED_BY_SERVICE_SQL, range),
    doctors: q(fast ? BILLED_BY_DOCTOR_SQL : reference.BILLED_BY_DOCTOR_SQL, range),
    discounts: q(fast ? DISCOUNTS_SQL : reference.DISCOUNTS_SQL, range),
    diagnoses: q(fast ? DIAGNOSES_SQL : reference.DIAGNOSES_SQL, { ...range, limit: 100 }),
    uncoded: q(fast ? UNCODED_SQL : reference.UNCODED_SQL, range),
  };
}

describe('migration 0026_report_summaries', () => {
  it('fills the per-day sums from the bills, notes and visits already there, and keeps them as rows are written after it', () => {
    const file = path.join(tempDir(), 'clinic.db');
    const old = migrateTo(file, '0025');
    // Written before 0026: no trigger sees these rows; only the migration's fill can count them.
    old.sqlite.transaction(() => randomClinic(old.sqlite, 'device-a', 2026))();
    const before = figures(old.sqlite, false);
    old.sqlite.close();
    expect(before.services.length).toBeGreaterThan(3);
    expect(before.diagnoses.length).toBeGreaterThan(3);

    const now = migrateRest(file);
    try {
      const counted = now.sqlite.prepare('SELECT count(*) FROM report_billed_days WHERE invoices > 0').pluck().get() as number;
      expect(counted).toBeGreaterThan(20);
      expect(figures(now.sqlite, true)).toEqual(before);

      // And after it: a bill and a note written on a day of the span move the figures, fast and slow alike.
      const rows = new ReportRows(now.sqlite, 'device-a');
      const visitId = rows.visit({ patientId: 'P-new', doctorId: 'doc-a', date: SPAN.from });
      rows.consultation({ visitId, patientId: 'P-new', doctorId: 'doc-a', date: SPAN.from, diagnoses: [{ code: 'Z00.0', title: 'General examination' }] });
      rows.invoice({
        number: '2627/N/000001', patientId: 'P-new', doctorId: 'doc-a', issuedOn: SPAN.from, issuedBy: 'cashier', visitId,
        lines: [{ kind: 'consultation', description: 'Consultation', quantity: 1, ratePaise: 50_000, discountPaise: 0, gstRateBp: 0, taxInclusive: false }],
      });
      const after = figures(now.sqlite, true);
      expect(after).toEqual(figures(now.sqlite, false));
      expect(after).not.toEqual(before);
      expect(after.diagnoses.some((r) => r.includes('"Z00.0"'))).toBe(true);
    } finally {
      now.sqlite.close();
    }
  });
});
