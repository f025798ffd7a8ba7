import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { refunds } from '../../../db/schema';
import { applyPulled, readHeldPull } from '../../../electron/sync/apply';
import { HybridClock } from '../../../shared/hlc';
import { insertRow, migrateTo } from '../../helpers/migrations';
import { tempDir } from '../../helpers/temp';

/**
 * 0016 made refunds.invoice_id nullable (a refund of unused advance has no invoice). SQLite can only
 * do that by rebuilding the table, which drops it and its triggers, so this checks the refunds of
 * a 0015 database come through whole and the ledger stays insert-only.
 */

const AT = Date.UTC(2026, 10, 20, 6, 15);
const hlc = (ms: number, device: string) => `${String(ms).padStart(15, '0')}-0000-${device}`;

function refund(id: string, device: string, over: Record<string, string | number | null> = {}) {
  return {
    id,
    created_at: AT,
    updated_at: AT,
    hlc: hlc(AT, device),
    device_id: device,
    deleted_at: null,
    invoice_id: '01937a1c-0000-7000-8000-00000000i001',
    patient_id: '01937a1c-0000-7000-8000-00000000p001',
    mode: 'cash',
    amount_paise: 29_000,
    reason: 'Medicine returned unopened',
    refunded_by: '01937a1c-0000-7000-8000-00000000u002',
    refunded_on: '2026-11-20',
    ...over,
  };
}

const OLD_ROWS = [
  refund('01937a1c-0000-7000-8000-00000000r001', 'device-a'),
  refund('01937a1c-0000-7000-8000-00000000r002', 'device-b', { mode: 'upi', amount_paise: 50_000, reason: 'Procedure not done', refunded_on: '2026-11-19' }),
  // A row pulled from another workstation and soft-deleted there before ledgers were insert-only.
  refund('01937a1c-0000-7000-8000-00000000r003', 'device-b', { deleted_at: AT + 1000, amount_paise: 1 }),
];

describe('migration 0016_refund_advance', () => {
  it('keeps every refund, column for column, and its pending change_log entries', () => {
    const file = path.join(tempDir(), 'clinic.db');
    const old = migrateTo(file, '0015');
    for (const r of OLD_ROWS) insertRow(old.sqlite, 'refunds', r);
    insertRow(old.sqlite, 'change_log', {
      id: '01937a1c-0000-7000-8000-00000000c001',
      table_name: 'refunds',
      row_id: OLD_ROWS[0]!.id,
      op: 'insert',
      columns: JSON.stringify(OLD_ROWS[0]),
      hlc: OLD_ROWS[0]!.hlc,
      user_id: OLD_ROWS[0]!.refunded_by,
      pushed_at: null,
    });
    expect(() => insertRow(old.sqlite, 'refunds', refund('r-advance', 'device-a', { invoice_id: null }))).toThrow(/NOT NULL/);
    const columnsBefore = old.sqlite.pragma('table_info(refunds)') as { name: string; type: string; pk: number }[];
    old.sqlite.close();

    const now = migrateTo(file, '0016');
    try {
      expect(now.sqlite.prepare('SELECT * FROM refunds ORDER BY id').all()).toEqual(OLD_ROWS);
      const columnsAfter = now.sqlite.pragma('table_info(refunds)') as { name: string; type: string; pk: number }[];
      expect(columnsAfter.map(({ name, type, pk }) => ({ name, type, pk }))).toEqual(columnsBefore.map(({ name, type, pk }) => ({ name, type, pk })));
      expect(now.sqlite.prepare("SELECT row_id, pushed_at FROM change_log WHERE table_name = 'refunds'").all()).toEqual([{ row_id: OLD_ROWS[0]!.id, pushed_at: null }]);
      // The typed reads the billing service makes see the old rows as before.
      expect(now.db.select({ id: refunds.id, invoiceId: refunds.invoiceId }).from(refunds).all()).toHaveLength(3);
      expect(now.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(now.sqlite.pragma('foreign_key_check')).toEqual([]);
    } finally {
      now.sqlite.close();
    }
  });

  it('takes refunds without an invoice afterwards, and the ledger is still insert-only and indexed', () => {
    const file = path.join(tempDir(), 'clinic.db');
    const old = migrateTo(file, '0015_issued_device_pack_size');
    insertRow(old.sqlite, 'refunds', OLD_ROWS[0]!);
    old.sqlite.close();

    const now = migrateTo(file, '0016');
    try {
      insertRow(now.sqlite, 'refunds', refund('01937a1c-0000-7000-8000-00000000r009', 'device-a', { invoice_id: null, reason: 'Unused advance' }));
      expect(() => insertRow(now.sqlite, 'refunds', refund('r-no-patient', 'device-a', { patient_id: null }))).toThrow(/NOT NULL/);
      expect(() => now.sqlite.prepare('UPDATE refunds SET amount_paise = 1').run()).toThrow(/refunds are insert-only/);
      expect(() => now.sqlite.prepare('DELETE FROM refunds').run()).toThrow(/refunds are insert-only/);
      const indexes = now.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'refunds' AND name LIKE 'refunds_%' ORDER BY name").pluck().all();
      expect(indexes).toEqual(['refunds_day_idx', 'refunds_invoice_idx', 'refunds_patient_idx']);
    } finally {
      now.sqlite.close();
    }
  });

  it('(why it is allow-listed) a workstation still at 0015 holds its pull at a pulled advance refund, says so, and applies the page once upgraded', () => {
    const file = path.join(tempDir(), 'clinic.db');
    const old = migrateTo(file, '0015');
    const clock = new HybridClock('device-a', () => AT);
    const pulled = (r: ReturnType<typeof refund>, seq: number) => ({ table: 'refunds', rowId: r.id, data: r, fieldHlc: {}, seq });
    const advance = refund('01937a1c-0000-7000-8000-00000000r010', 'device-b', { invoice_id: null, reason: 'Unused advance' });
    const page = [pulled(OLD_ROWS[0]!, 1), pulled(advance, 2), pulled(OLD_ROWS[1]!, 3)];
    const cursor = (db: typeof old) => db.sqlite.prepare("SELECT value FROM local_meta WHERE key = 'sync.pullCursor'").pluck().get();
    try {
      applyPulled(old.sqlite, page, 3, clock);
      // Not skipped while the cursor moves on: the row before it is in, the cursor stops right before it.
      expect(old.sqlite.prepare('SELECT id FROM refunds').pluck().all()).toEqual([OLD_ROWS[0]!.id]);
      expect(cursor(old)).toBe('1');
      expect(readHeldPull(old.sqlite)).toMatchObject({ table: 'refunds', rowId: advance.id, seq: 2, reason: expect.stringMatching(/NOT NULL constraint failed: refunds\.invoice_id.*update this app/) as unknown });
    } finally {
      old.sqlite.close();
    }
    const now = migrateTo(file, '0016');
    try {
      applyPulled(now.sqlite, page.slice(1), 3, clock);
      expect(now.sqlite.prepare('SELECT id FROM refunds ORDER BY id').pluck().all()).toEqual([OLD_ROWS[0]!.id, OLD_ROWS[1]!.id, advance.id].sort());
      expect(cursor(now)).toBe('3');
      expect(readHeldPull(now.sqlite)).toBeNull();
    } finally {
      now.sqlite.close();
    }
  });
});
