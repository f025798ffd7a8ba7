import { describe, expect, it } from 'vitest';
import { startSyncServer } from '../helpers/sync';
import { converge, register, setupClinic, STAFF, type Desk } from './harness';

/*
 * Two desks offline each write the consultation of one visit (one consultation per visit: a key
 * no desk can rename). The server keeps the first to arrive; the desk that lost sets its own aside,
 * keeping its text, so the winner's row can be pulled: the copies converge, nothing typed is lost.
 */
describe('a row that lost a race it cannot be renamed out of is set aside', () => {
  it('two desks write the same visit’s consultation offline: both converge on the first, the loser’s text stays readable on its Sync screen, the pull is not held', async () => {
    const server = await startSyncServer();
    const { clinicId, devices, doctorId } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [Desk, Desk];
    const patientId = register(A, 'Twicewritten', 1);
    const { visitId } = A.c.ok('queue.checkIn', { patientId, doctorId }, A.admin);
    await converge(server, clinicId, [A.c, B.c]);

    await A.c.app.sync.stop();
    await B.c.app.sync.stop();
    const meeraA = A.c.login(STAFF.meera.username, STAFF.meera.password);
    const meeraB = B.c.login(STAFF.meera.username, STAFF.meera.password);
    const kept = A.c.ok('consultations.save', { visitId, note: { chiefComplaints: ['Fever for 3 days'], advice: 'Fluids' } }, meeraA);
    const lost = B.c.ok('consultations.save', { visitId, note: { chiefComplaints: ['Cough since a week'], examination: 'Wheeze on the left, written at desk B' } }, meeraB);
    expect(lost.consultationId).not.toBe(kept.consultationId);

    // A reaches the server first; then B, whose insert is refused: it sets its own aside and pulls A's.
    A.c.app.sync.start();
    await converge(server, clinicId, [A.c]);
    B.c.app.sync.start();
    await converge(server, clinicId, [A.c, B.c]);

    for (const d of [A, B]) {
      const onDesk = d.c.ok('consultations.get', { visitId }, d === A ? meeraA : meeraB);
      expect(onDesk.consultation?.id).toBe(kept.consultationId);
      expect(onDesk.note.chiefComplaints).toEqual(['Fever for 3 days']);
    }
    const status = B.c.ok('sync.status', {}, B.admin);
    expect(status.heldUp).toBeNull();
    expect(status.setAside).toHaveLength(1);
    const aside = status.setAside[0]!;
    expect(aside).toMatchObject({ table: 'consultations', rowId: lost.consultationId, deviceName: 'Desk A' });
    expect(aside.message).toMatch(/^A consultation for Twicewritten .+ written on this desk at .+ lost to the one from Desk A; its text is kept: view \/ copy$/);
    // The text is its own, audited read (sync.status, which every screen polls, carries none).
    expect(aside.readable).toBe(true);
    expect(JSON.stringify(status)).not.toContain('Cough since a week');
    const { text } = B.c.ok('sync.setAsideText', { id: aside.id }, B.admin);
    expect(text).toContain('Cough since a week');
    expect(text).toContain('Wheeze on the left, written at desk B');
    const reads = B.c.app.database.sqlite.prepare("SELECT entity_id FROM audit_log WHERE action = 'sync.setAsideText' AND outcome = 'ok'").pluck().all();
    expect(reads).toEqual([lost.consultationId]);
    // Not a conflict listed twice, and nothing of it reached desk A.
    expect(status.conflicts).toEqual([]);
    expect(A.c.app.database.sqlite.prepare('SELECT count(*) FROM consultations WHERE id = ?').pluck().get(lost.consultationId)).toBe(0);
    expect(A.c.ok('sync.status', {}, A.admin).setAside).toEqual([]);
    // Someone who may not read clinical records sees that it happened, not the text.
    const rita = B.c.login(STAFF.rita.username, STAFF.rita.password);
    expect(B.c.ok('sync.status', {}, rita).setAside[0]).toMatchObject({ message: aside.message, readable: false });
    expect(B.c.call('sync.setAsideText', { id: aside.id }, rita)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Audited on the desk, and the audit row reaches the other desk.
    const audited = B.c.app.database.sqlite.prepare("SELECT id, entity_id FROM audit_log WHERE action = 'sync.setAside'").all() as { id: string; entity_id: string }[];
    expect(audited.map((a) => a.entity_id)).toEqual([lost.consultationId]);
    await converge(server, clinicId, [A.c, B.c]);
    expect(A.c.app.database.sqlite.prepare('SELECT count(*) FROM audit_log WHERE id = ?').pluck().get(audited[0]!.id)).toBe(1);

    // The doctor goes on with the kept consultation on B; it reaches A.
    B.c.ok('consultations.save', { visitId, note: { examination: 'Wheeze on the left (from the set-aside note)' } }, meeraB);
    await converge(server, clinicId, [A.c, B.c]);
    expect(A.c.ok('consultations.get', { visitId }, meeraA).note.examination).toBe('Wheeze on the left (from the set-aside note)');
  }, 120_000);
});
