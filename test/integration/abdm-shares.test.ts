import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { openDoctorDesk, TODAY } from './doctor-fixtures';
import type { TestClinic } from '../helpers/app';

/**
 * Reception's Scan & Share methods on one desk. The shares are rows the clinic's server writes and
 * desks pull (test/sync/abdm-scan-share.test.ts runs that end to end); here one is stored as a pull
 * would store it.
 */
function pulledShare(c: TestClinic, over: { token: string; tokenNo: number; expiresAt: number; name?: string }) {
  const id = uuidv7();
  const now = c.clock.now;
  c.app.database.sqlite
    .prepare(
      `INSERT INTO abdm_profile_shares (id, created_at, updated_at, hlc, device_id, request_id, abha_address, name, gender, year_of_birth, mobile, counter_id, token_date, token_no, token, shared_at, expires_at, status)
       VALUES (?, ?, ?, ?, 'server', ?, ?, ?, 'F', 1990, '9876500001', 'desk-1', ?, ?, ?, ?, ?, 'waiting')`,
    )
    .run(id, now, now, `${String(now).padStart(13, '0')}:0000:server`, uuidv7(), 'gita.rao@sbx', over.name ?? 'Gita Rao', TODAY, over.tokenNo, over.token, now, over.expiresAt);
  return id;
}

describe('scanshare (Scan & Share at reception)', () => {
  it('reception lists, checks in once with the share token, and an expired share gets the desk token; a doctor may not', () => {
    const d = openDoctorDesk();
    const valid = pulledShare(d.c, { token: 'SHARE-1', tokenNo: 1, expiresAt: d.c.clock.now + 1_800_000 });
    const expired = pulledShare(d.c, { token: 'SHARE-2', tokenNo: 2, expiresAt: d.c.clock.now - 1, name: 'Late Comer' });
    const list = d.c.ok('scanshare.list', {}, d.reception);
    expect(list.map((s) => [s.token, s.status])).toEqual(expect.arrayContaining([['SHARE-1', 'waiting'], ['SHARE-2', 'expired']]));
    expect(d.c.call('scanshare.list', {}, d.rao)).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const first = d.c.ok('scanshare.checkIn', { shareId: valid, patientId: d.anil, doctorId: d.drRao }, d.reception);
    expect(first.tokenLabel).toBe('SHARE-1');
    expect(d.c.call('scanshare.checkIn', { shareId: valid, patientId: d.anil, doctorId: d.drRao }, d.reception)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const late = d.c.ok('scanshare.checkIn', { shareId: expired, patientId: d.bhavna, doctorId: d.drRao }, d.reception);
    expect(late.tokenLabel).not.toMatch(/^SHARE/);
    const stored = d.c.app.database.sqlite.prepare('SELECT status, patient_id, visit_id FROM abdm_profile_shares WHERE id = ?').get(valid);
    expect(stored).toEqual({ status: 'checked_in', patient_id: d.anil, visit_id: first.visitId });
    // Only the desk's own columns reach the change log.
    const logged = d.c.app.database.sqlite.prepare("SELECT columns FROM change_log WHERE table_name = 'abdm_profile_shares'").pluck().all() as string[];
    expect(logged.length).toBeGreaterThan(0);
    for (const cols of logged) expect(Object.keys(JSON.parse(cols) as object).filter((k) => !['status', 'patient_id', 'visit_id', 'hlc', 'updated_at', 'device_id', 'id'].includes(k))).toEqual([]);
    expect(d.c.call('scanshare.candidates', { shareId: uuidv7() }, d.reception)).toMatchObject({ ok: false, error: { code: 'not_found', fields: { shareId: 'No such shared profile' } } });
  });
});
