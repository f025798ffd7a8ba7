import { describe, expect, it } from 'vitest';
import { checkSyncedChange } from '../../db/sync-row-schemas';
import type { ChangeFacts, Signer } from '../../shared/sync-rules';

/* The pharmacy's part of the rule book: the stock ledger is insert-only for everyone, in the mover's name. */

const admin: Signer = { id: 'u-admin', roles: ['admin'] };
const pooja: Signer = { id: 'u-pooja', roles: ['pharmacist'] };
const rita: Signer = { id: 'u-rita', roles: ['receptionist'] };

const stamps = { updated_at: 2, hlc: '000001700000000-0001-dev', device_id: 'dev' };
const base = { created_at: 1, deleted_at: null, ...stamps };
const check = (f: Omit<ChangeFacts, 'shape' | 'bootstrap'>) => checkSyncedChange({ bootstrap: false, ...f });
const movement = (row: Record<string, unknown>, signer: Signer) =>
  check({
    table: 'stock_movements',
    rowId: 'm1',
    op: 'insert',
    columns: { ...base, id: 'm1', batch_id: 'b1', drug_id: 'd1', kind: 'dispense', qty: -2, reason: null, ref_table: null, ref_id: null, moved_at: 5, moved_by: signer.id, ...row },
    before: null,
    signer,
  });

describe('the rule book: the pharmacy', () => {
  it('lets pharmacists and administrators record movements in their own name, with the sign of their kind', () => {
    expect(movement({}, pooja)).toBeNull();
    expect(movement({ kind: 'adjustment', qty: 4, reason: 'recount' }, admin)).toBeNull();
    expect(movement({}, rita)).toBe('a receptionist may not change stock_movements');
    expect(movement({ moved_by: 'u-admin' }, pooja)).toBe('stock_movements.moved_by must be the person making the change, not someone else');
    expect(movement({ qty: 2 }, pooja)).toBe('a dispense takes stock away: its quantity is negative');
    expect(movement({ kind: 'receipt', qty: -2 }, pooja)).toBe('a receipt adds stock: its quantity is positive');
    expect(movement({ kind: 'adjustment', qty: 1, reason: ' ' }, pooja)).toBe('a stock adjustment is recorded only with its reason');
    expect(movement({ qty: 0 }, pooja)).toBe('a stock movement moves a whole, non-zero number of units');
    expect(movement({ kind: 'theft' }, pooja)).toMatch(/stock_movements.kind cannot be "theft"/);
  });

  it('never lets a movement be changed or deleted, not even by an administrator', () => {
    const before = { ...base, id: 'm1', batch_id: 'b1', drug_id: 'd1', kind: 'dispense', qty: -2, moved_at: 5, moved_by: pooja.id };
    const why = 'stock_movements rows are insert-only: they are never changed or deleted once recorded';
    expect(check({ table: 'stock_movements', rowId: 'm1', op: 'update', columns: { qty: 0, ...stamps }, before, signer: admin })).toBe(why);
    expect(check({ table: 'stock_movements', rowId: 'm1', op: 'delete', columns: stamps, before, signer: admin })).toBe(why);
    for (const table of ['purchases', 'purchase_lines', 'dispenses', 'dispense_lines', 'h1_register']) {
      expect(check({ table, rowId: 'x', op: 'update', columns: stamps, before: { ...base, id: 'x' }, signer: admin })).toMatch(/insert-only/);
    }
  });
});
