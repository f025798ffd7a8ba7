import { describe, expect, it } from 'vitest';
import { checkSyncedChange } from '../../db/sync-row-schemas';
import type { ChangeFacts, Signer } from '../../shared/sync-rules';

/* The rule book's attachments entry (shared/sync-rules-attachments.ts): each allowed change next to the refused one. */

const rita: Signer = { id: 'u-rita', roles: ['receptionist'] };
const kiran: Signer = { id: 'u-kiran', roles: ['cashier'] };
const meera: Signer = { id: 'u-meera', roles: ['doctor'] };
const stamps = { updated_at: 2, hlc: '000001700000000-0001-dev', device_id: 'dev' };
const base = { created_at: 1, deleted_at: null, ...stamps };
const h = (c: string) => c.repeat(64);
const file = {
  id: 'att-1',
  patient_id: 'p-1',
  visit_id: null,
  kind: 'lab_report',
  title: 'CBC',
  document_date: '2026-11-20',
  mime: 'application/pdf',
  size: 300_000,
  sha256: h('a'),
  chunk_count: 2,
  chunk_hashes: [h('b'), h('c')],
  file_name: 'cbc.pdf',
  made_by: rita.id,
  made_at: 1,
  withdrawn_at: null,
  withdrawn_by: null,
  withdraw_reason: null,
};
const check = (f: Omit<ChangeFacts, 'shape' | 'bootstrap'>) => checkSyncedChange({ bootstrap: false, ...f });
const insert = (row: Record<string, unknown>, signer: Signer): Omit<ChangeFacts, 'shape' | 'bootstrap'> => ({ table: 'attachments', rowId: 'att-1', op: 'insert', columns: { ...base, ...row }, before: null, signer });
const update = (columns: Record<string, unknown>, signer: Signer, before: Record<string, unknown> = { ...base, ...file }) => ({ table: 'attachments', rowId: 'att-1', op: 'update' as const, columns: { ...columns, ...stamps }, before, signer });

describe('the rule book: attachments', () => {
  it('reception, doctors and administrators attach in their own name; a cashier does not', () => {
    expect(check(insert(file, rita))).toBeNull();
    expect(check(insert({ ...file, made_by: meera.id }, meera))).toBeNull();
    expect(check(insert({ ...file, made_by: kiran.id }, kiran))).toBe('a cashier may not change attachments');
    expect(check(insert(file, meera))).toMatch(/made_by must be the person making the change/);
  });

  it('refuses file facts that do not add up: over 20 MB, a wrong chunk count, missing chunk hashes, an unknown type', () => {
    expect(check(insert({ ...file, size: 21 * 1024 * 1024, chunk_count: 84, chunk_hashes: Array(84).fill(h('b')) }, rita))).toMatch(/over the limit of 20 MB/);
    expect(check(insert({ ...file, chunk_count: 3 }, rita))).toMatch(/chunk_count does not match its size/);
    expect(check(insert({ ...file, chunk_hashes: [h('b')] }, rita))).toMatch(/one sha256 per chunk/);
    expect(check(insert({ ...file, mime: 'text/html' }, rita))).toMatch(/mime/);
    expect(check(insert({ ...file, withdrawn_at: 5, withdrawn_by: rita.id, withdraw_reason: 'x' }, rita))).toMatch(/not withdrawn/);
  });

  it('afterwards only kind, title and date change, and a withdrawal with a reason is final; never deleted', () => {
    expect(check(update({ title: 'CBC, City Lab', kind: 'other', document_date: '2026-11-19' }, meera))).toBeNull();
    expect(check(update({ sha256: h('d') }, rita))).toMatch(/sha256 can no longer change/);
    expect(check(update({ size: 10 }, rita))).toMatch(/size can no longer change/);
    expect(check(update({ withdrawn_at: 9, withdrawn_by: rita.id, withdraw_reason: 'Wrong patient' }, rita))).toBeNull();
    expect(check(update({ withdrawn_at: 9, withdrawn_by: rita.id, withdraw_reason: ' ' }, rita))).toMatch(/only with a reason/);
    expect(check(update({ withdrawn_at: 9, withdrawn_by: meera.id, withdraw_reason: 'x' }, rita))).toMatch(/withdrawn_by must be the person/);
    const withdrawn = { ...base, ...file, withdrawn_at: 9, withdrawn_by: rita.id, withdraw_reason: 'Wrong patient' };
    expect(check(update({ withdrawn_at: null, withdrawn_by: null, withdraw_reason: null }, rita, withdrawn))).toMatch(/stays withdrawn/);
    expect(check(update({ deleted_at: 9 }, rita))).toMatch(/may not delete attachments/);
  });
});
