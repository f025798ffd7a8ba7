import { describe, expect, it } from 'vitest';
import { checkSyncedChange } from '../../db/sync-row-schemas';
import type { Signer } from '../../shared/sync-rules';

/* The rule book for Scan & Share rows: the server writes them, reception records progress forward only. */

const rita: Signer = { id: 'u-rita', roles: ['receptionist'] };
const base = { created_at: 1, deleted_at: null, updated_at: 2, hlc: '000001700000000-0001-server', device_id: 'server' };
const share = {
  id: 'sh-1',
  ...base,
  request_id: 'r-1',
  abha_number: null,
  abha_address: 'sita.devi@sbx',
  name: 'Sita Devi',
  gender: 'F',
  day_of_birth: null,
  month_of_birth: null,
  year_of_birth: 1988,
  mobile: null,
  address_line: null,
  district: null,
  state: null,
  pincode: null,
  counter_id: 'desk-a',
  token_date: '2026-12-06',
  token_no: 1,
  token: 'SHARE-1',
  shared_at: 1,
  expires_at: 2,
  status: 'checked_in',
  patient_id: 'p-1',
  visit_id: 'v-1',
};
const update = (before: Record<string, unknown>, columns: Record<string, unknown>) =>
  checkSyncedChange({ table: 'abdm_profile_shares', rowId: 'sh-1', op: 'update', columns: { ...columns, updated_at: 3 }, before, signer: rita, bootstrap: false });

describe('the rule book: ABDM profile shares', () => {
  it('lets reception record progress forward, but never put a checked-in share back (its token would go to a second visit)', () => {
    expect(update({ ...share, status: 'waiting', patient_id: null, visit_id: null }, { status: 'registered', patient_id: 'p-1' })).toBeNull();
    expect(update({ ...share, status: 'registered', visit_id: null }, { status: 'checked_in', visit_id: 'v-1' })).toBeNull();
    expect(update(share, { status: 'waiting' })).toMatch(/cannot go back to waiting/);
    expect(update(share, { visit_id: 'v-2' })).toMatch(/checked in once/);
    expect(update(share, { token: 'SHARE-9' })).toMatch(/records only status, patient_id, visit_id/);
  });
});
