import { describe, expect, it } from 'vitest';
import { startSyncServer } from '../helpers/sync';
import { converge, register, setupClinic, STAFF } from './harness';

/**
 * The owner's reports read per-day sums kept by triggers (migration 0026). Bills, notes and voids
 * made at one desk reach the other as pulled rows (sync's upserts): its reports must count them
 * the moment they are stored, exactly as at the desk that wrote them; a sum that went stale after
 * a sync would show the owner a different day at each desk.
 */
describe('reports at a desk that pulled the day', () => {
  it('count the bills, diagnoses and voids written at another desk, the same figures at both', async () => {
    const server = await startSyncServer();
    const { clinicId, devices, doctorId } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [(typeof devices)[0], (typeof devices)[0]];
    const rita = A.c.login(STAFF.rita.username, STAFF.rita.password);
    const patientId = register(A, 'Reportday', 1, rita);
    const { visitId } = A.c.ok('queue.checkIn', { patientId, doctorId }, rita);
    const day = A.c.app.database.sqlite.prepare('SELECT date FROM visits WHERE id = ?').pluck().get(visitId) as string;
    const range = { from: day, to: day };
    await converge(server, clinicId, [A.c, B.c]);

    // At B the doctor completes the note (a coded and an uncoded diagnosis); the cashier bills twice.
    const meera = B.c.login(STAFF.meera.username, STAFF.meera.password);
    B.c.ok('queue.callNext', {}, meera);
    const diagnoses = [{ code: 'J06.9', title: 'Acute upper respiratory infection, unspecified' }, { code: null, title: 'Body ache' }];
    B.c.ok('consultations.save', { visitId, note: { diagnoses } }, meera);
    B.c.ok('consultations.complete', { visitId }, meera);
    const kiran = B.c.login(STAFF.kiran.username, STAFF.kiran.password);
    const bill = (ratePaise: number) => {
      const draft = B.c.ok('billing.createInvoice', { patientId, visitId, doctorId, lines: [{ kind: 'consultation', description: 'Consultation', sacHsn: '999312', quantity: 1, ratePaise }] }, kiran);
      return B.c.ok('billing.issueInvoice', { invoiceId: draft.id }, kiran).id;
    };
    bill(50_000);
    const second = bill(30_000);
    await converge(server, clinicId, [A.c, B.c]);

    const figures = (d: typeof A) => {
      const revenue = d.c.ok('reports.revenue', range, d.admin);
      const dx = d.c.ok('reports.diagnoses', range, d.admin);
      return { billed: revenue.billedPaise, invoices: revenue.invoices, byService: revenue.byService, top: dx.top, uncoded: dx.uncoded };
    };
    expect(figures(A)).toMatchObject({ billed: 80_000, invoices: 2, top: [{ code: 'J06.9', consultations: 1 }], uncoded: { consultations: 1, diagnoses: 1 } });
    expect(figures(A)).toEqual(figures(B));

    // A voids the second bill; B pulls the void (an update of a row it has) and counts one bill.
    A.c.ok('billing.voidInvoice', { invoiceId: second, reason: 'Billed twice' }, A.admin);
    await converge(server, clinicId, [A.c, B.c]);
    expect(figures(B)).toMatchObject({ billed: 50_000, invoices: 1, byService: [{ kind: 'consultation', lines: 1, billedPaise: 50_000 }] });
    expect(figures(B)).toEqual(figures(A));
  }, 90_000);
});
