import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEED_HLC } from '../../../db/sync-checksum';
import { seriesDay } from '../../../electron/services/billing/issues';
import { insertRow, migrateRest, migrateTo } from '../../helpers/migrations';
import { tempDir } from '../../helpers/temp';

/**
 * 0021 adds the invoice_issues ledger and backfills one issue row per numbered invoice. Invoices
 * issued before 0015 have no issued_device_id: the day-end used to look them up by it and missed
 * them; by issue row and series they are listed again.
 */

const DAY = '2026-11-20';
const AT = Date.UTC(2026, 10, 20, 6, 15);
const TOTALS = { grossPaise: 50_000, lineDiscountPaise: 0, invoiceDiscountPaise: 0, taxablePaise: 50_000, cgstPaise: 0, sgstPaise: 0, totalPaise: 50_000 };

function invoice(id: string, over: Record<string, string | number | null>) {
  return {
    id,
    created_at: AT,
    updated_at: AT,
    hlc: `${String(AT).padStart(15, '0')}-0000-device-a`,
    device_id: 'device-a',
    deleted_at: null,
    invoice_number: null,
    financial_year: '2026-27',
    patient_id: '01937a1c-0000-7000-8000-00000000p001',
    visit_id: null,
    doctor_id: null,
    status: 'issued',
    lines: '[]',
    discount_kind: null,
    discount_value: null,
    discount_reason: null,
    discount_approved_by: null,
    totals: JSON.stringify(TOTALS),
    issued_at: AT,
    issued_by: '01937a1c-0000-7000-8000-00000000u002',
    issued_on: DAY,
    void_reason: null,
    voided_at: null,
    voided_by: null,
    ...over,
  };
}

describe('migration 0021_invoice_issues', () => {
  it('backfills one issue row per numbered invoice (seed-stamped, series from the number), and the day-end lists invoices issued before 0015 again', () => {
    const file = path.join(tempDir(), 'clinic.db');
    const old = migrateTo(file, '0020');
    // Issued before 0015 (no issued_device_id), issued after it on desk A, voided, issued on desk B, and a draft.
    insertRow(old.sqlite, 'invoices', invoice('inv-1', { invoice_number: '2627/A/000001', issued_device_id: null }));
    insertRow(old.sqlite, 'invoices', invoice('inv-2', { invoice_number: '2627/A/000002', issued_device_id: 'device-a' }));
    insertRow(old.sqlite, 'invoices', invoice('inv-3', { invoice_number: '2627/A/000003', issued_device_id: null, status: 'void', void_reason: 'Wrong patient', voided_at: AT + 60_000 }));
    insertRow(old.sqlite, 'invoices', invoice('inv-4', { invoice_number: '2627/BC/000001', issued_device_id: 'device-b', device_id: 'device-b' }));
    insertRow(old.sqlite, 'invoices', invoice('inv-5', { status: 'draft', totals: null, issued_at: null, issued_on: null, issued_by: null }));
    old.sqlite.close();

    const now = migrateRest(file);
    try {
      const rows = now.sqlite.prepare('SELECT id, hlc, invoice_id, invoice_number, series, issued_device_id, issued_on, total_paise FROM invoice_issues ORDER BY invoice_number').all();
      expect(rows).toEqual([
        { id: 'issue-inv-1', hlc: SEED_HLC, invoice_id: 'inv-1', invoice_number: '2627/A/000001', series: 'A', issued_device_id: null, issued_on: DAY, total_paise: 50_000 },
        { id: 'issue-inv-2', hlc: SEED_HLC, invoice_id: 'inv-2', invoice_number: '2627/A/000002', series: 'A', issued_device_id: 'device-a', issued_on: DAY, total_paise: 50_000 },
        { id: 'issue-inv-3', hlc: SEED_HLC, invoice_id: 'inv-3', invoice_number: '2627/A/000003', series: 'A', issued_device_id: null, issued_on: DAY, total_paise: 50_000 },
        { id: 'issue-inv-4', hlc: SEED_HLC, invoice_id: 'inv-4', invoice_number: '2627/BC/000001', series: 'BC', issued_device_id: 'device-b', issued_on: DAY, total_paise: 50_000 },
      ]);
      // Nothing of the backfill is pushed: every desk makes the same rows from its own copy.
      expect(now.sqlite.prepare("SELECT count(*) FROM change_log WHERE table_name = 'invoice_issues'").pluck().get()).toBe(0);
      expect(() => now.sqlite.prepare('UPDATE invoice_issues SET total_paise = 1').run()).toThrow(/invoice_issues are insert-only/);
      expect(() => now.sqlite.prepare('DELETE FROM invoice_issues').run()).toThrow(/invoice_issues are insert-only/);

      // Desk A's day-end: all three of its numbers, the pre-0015 ones included; the void one among the voided.
      const day = seriesDay({ db: now.db, deviceId: 'device-a', settings: { timeZone: 'Asia/Kolkata' } }, DAY, 'A');
      expect(day.issued.map((i) => [i.number, i.status])).toEqual([
        ['2627/A/000001', 'issued'],
        ['2627/A/000002', 'issued'],
        ['2627/A/000003', 'void'],
      ]);
      expect(day.voided).toEqual([{ number: '2627/A/000003', invoiceId: 'inv-3', reason: 'Wrong patient' }]);
      expect(seriesDay({ db: now.db, deviceId: 'device-b', settings: { timeZone: 'Asia/Kolkata' } }, DAY, 'BC').issued.map((i) => i.number)).toEqual(['2627/BC/000001']);
    } finally {
      now.sqlite.close();
    }
  });
});
