import { describe, expect, it } from 'vitest';
import { startSyncServer, waitFor } from '../helpers/sync';
import { bookableDate, converge, localIds, note, register, serverRows, setupClinic, STAFF } from './harness';

describe('two workstations of one clinic', () => {
  it('a registration reaches the other desk; offline edits of different fields both survive; one of two offline bookings of the last place needs a rebook; every payment is there once', async () => {
    const t0 = Date.now();
    const server = await startSyncServer();
    const { clinicId, devices, doctorId } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [(typeof devices)[0], (typeof devices)[0]];

    // Online: a patient registered on A appears on B by itself (A's push pokes B).
    const lakshmi = register(A, 'Lakshmi', 1);
    const ravi = register(A, 'Ravi', 2);
    await waitFor(() => localIds(B.c, 'patients').includes(ravi), 'the patients to reach B');

    // Offline (both engines stopped): each desk edits a different field of the same patient,
    // books the only place of the same slot for a different patient, and takes payments.
    await A.c.app.sync.stop();
    await B.c.app.sync.stop();
    A.c.ok('patients.update', { id: lakshmi, patch: { mobile: '9845012345', occupation: 'Teacher' } }, A.admin);
    B.c.ok('patients.update', { id: lakshmi, patch: { city: 'Pune', bloodGroup: 'B+' } }, B.admin);
    const date = bookableDate();
    const slot = { doctorId, date, start: '10:00' };
    expect(A.c.ok('appointments.slots', { doctorId, date }, A.admin).slots.find((s) => s.start === '10:00')).toMatchObject({ capacity: 1, free: 1 });
    const apA = A.c.ok('appointments.book', { ...slot, patientId: lakshmi }, A.admin).id;
    const apB = B.c.ok('appointments.book', { ...slot, patientId: ravi }, B.admin).id;
    const pay = (d: typeof A, patientId: string, rupees: number) =>
      d.c.ok('billing.recordPayment', { patientId, parts: [{ mode: 'cash', amountPaise: rupees * 100 }] }, d.admin);
    const receipts = [pay(A, lakshmi, 100), pay(A, ravi, 250), pay(A, lakshmi, 75), pay(B, ravi, 500), pay(B, lakshmi, 40)];
    expect(new Set(receipts.map((r) => r.receiptNumber)).size).toBe(5); // per-device series: no collision offline
    const paymentIds = new Set(localIds(A.c, 'payments').concat(localIds(B.c, 'payments')));
    expect(paymentIds.size).toBe(5);

    A.c.app.sync.start();
    B.c.app.sync.start();
    const took = await converge(server, clinicId, [A.c, B.c]);

    // Both edits survive on both desks and on the server.
    for (const d of [A, B]) {
      expect(d.c.ok('patients.get', { id: lakshmi }, d.admin).patient).toMatchObject({ mobile: '9845012345', occupation: 'Teacher', city: 'Pune', bloodGroup: 'B+' });
    }
    // Exactly one booking lost the place, the same one everywhere, and reception sees it.
    const statuses = (d: typeof A) => Object.fromEntries(d.c.ok('appointments.list', { date, doctorId }, d.admin).map((a) => [a.id, a.status]));
    const onA = statuses(A);
    expect(statuses(B)).toEqual(onA);
    expect([onA[apA], onA[apB]].sort()).toEqual(['needs-rebook', 'scheduled']);
    const loser = onA[apA] === 'needs-rebook' ? apA : apB;
    for (const d of [A, B]) expect(d.c.ok('appointments.needsRebook', {}, d.admin).map((a) => a.id)).toEqual([loser]);
    const held = (await serverRows(server.database.db, clinicId, 'appointments')).filter((r) => r.data.status === 'scheduled');
    expect(held.map((r) => r.rowId)).toEqual([apA, apB].filter((id) => id !== loser));

    // Payments: all five, once each, on both desks and the server; nothing merged or summed twice.
    const onServer = await serverRows(server.database.db, clinicId, 'payments');
    expect(new Set(onServer.map((r) => r.rowId))).toEqual(paymentIds);
    expect(onServer.reduce((s, r) => s + Number(r.data.amount_paise), 0)).toBe(96_500);
    for (const d of [A, B]) {
      expect(new Set(localIds(d.c, 'payments'))).toEqual(paymentIds);
      const sum = d.c.app.database.sqlite.prepare('SELECT sum(amount_paise) FROM payments').pluck().get();
      expect(sum).toBe(96_500);
    }
    note(`two workstations: converged in ${took} ms; whole scenario ${Date.now() - t0} ms; the booking that lost: ${loser === apA ? 'A' : 'B'}'s`);
  }, 60_000);
});

describe('a booking that loses its slot', () => {
  it('keeps what its desk did to it afterwards: a cancellation made offline is not overturned by needs-rebook', async () => {
    const server = await startSyncServer();
    const { clinicId, devices, doctorId } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [(typeof devices)[0], (typeof devices)[0]];
    const p1 = register(A, 'Early', 1);
    const p2 = register(A, 'Late', 2);
    await converge(server, clinicId, [A.c, B.c]);
    await A.c.app.sync.stop();
    await B.c.app.sync.stop();
    const slot = { doctorId, date: bookableDate(), start: '11:00' };
    // B books the place and syncs first; A booked it too, offline, and then cancelled it.
    const held = B.c.ok('appointments.book', { ...slot, patientId: p2 }, B.admin).id;
    const lost = A.c.ok('appointments.book', { ...slot, patientId: p1 }, A.admin).id;
    A.c.ok('appointments.cancel', { appointmentId: lost, reason: 'Patient will come next week' }, A.admin);
    B.c.app.sync.start();
    await converge(server, clinicId, [B.c]);
    A.c.app.sync.start();
    await converge(server, clinicId, [A.c, B.c]);
    for (const d of [A, B]) {
      const list = d.c.ok('appointments.list', { date: slot.date, doctorId }, d.admin);
      expect(list.find((a) => a.id === held)?.status).toBe('scheduled');
      expect(list.find((a) => a.id === lost)).toMatchObject({ status: 'cancelled', cancelReason: 'Patient will come next week' });
      expect(d.c.ok('appointments.needsRebook', {}, d.admin)).toEqual([]);
    }
  }, 60_000);
});

describe('a whole OPD day across desks and roles', () => {
  it('the same advance refunded at two desks while offline: both refunds are kept, and both desks show the patient short', async () => {
    const server = await startSyncServer();
    const { clinicId, devices } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [(typeof devices)[0], (typeof devices)[0]];
    const patientId = register(A, 'Advancepatient', 1);
    A.c.ok('billing.recordPayment', { patientId, parts: [{ mode: 'cash', amountPaise: 50_000 }] }, A.admin);
    await converge(server, clinicId, [A.c, B.c]);
    expect(B.c.ok('billing.advance', { patientId }, B.admin).balancePaise).toBe(50_000);

    await A.c.app.sync.stop();
    await B.c.app.sync.stop();
    // Each desk sees ₹500 left and gives it back: neither can know of the other.
    A.c.ok('billing.refund', { patientId, amountPaise: 50_000, mode: 'cash', reason: 'Going to another hospital' }, A.admin);
    B.c.ok('billing.refund', { patientId, amountPaise: 50_000, mode: 'cash', reason: 'Patient asked at the other counter' }, B.admin);
    A.c.app.sync.start();
    B.c.app.sync.start();
    await converge(server, clinicId, [A.c, B.c]);

    // Money paid out is never merged away: both refunds are there, once each, and the shortfall shows.
    for (const d of [A, B]) {
      expect(d.c.ok('billing.advance', { patientId }, d.admin)).toMatchObject({ receivedPaise: 50_000, refundedPaise: 100_000, balancePaise: -50_000 });
      expect(localIds(d.c, 'refunds')).toHaveLength(2);
    }
    // Nothing more can be refunded from it.
    expect(A.c.call('billing.refund', { patientId, amountPaise: 100, mode: 'cash', reason: 'again' }, A.admin)).toMatchObject({ ok: false, error: { fields: { amountPaise: expect.any(String) } } });
  }, 60_000);

  it('every change the app lets a role make is accepted by the server: reception, doctor, lab results, cashier, admin', async () => {
    const server = await startSyncServer();
    const { clinicId, devices, doctorId } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [(typeof devices)[0], (typeof devices)[0]];
    // Reception (A) registers and checks in; the doctor (B) sees, orders a test, completes.
    const rita = A.c.login(STAFF.rita.username, STAFF.rita.password);
    const patientId = register(A, 'Opdday', 1, rita);
    const token = A.c.ok('queue.checkIn', { patientId, doctorId }, rita);
    await converge(server, clinicId, [A.c, B.c]);
    const meera = B.c.login(STAFF.meera.username, STAFF.meera.password);
    const called = B.c.ok('queue.callNext', {}, meera);
    expect(called?.visitId).toBe(token.visitId);
    B.c.ok('consultations.save', { visitId: token.visitId, note: { chiefComplaints: ['Fever for 3 days'], advice: 'Fluids' }, reviewInDays: 5 }, meera);
    const cbc = B.c.ok('labs.tests', {}, meera).find((t) => t.code === 'CBC')!;
    const [order] = B.c.ok('labs.order', { visitId: token.visitId, testIds: [cbc.id] }, meera);
    B.c.ok('consultations.complete', { visitId: token.visitId }, meera);
    await converge(server, clinicId, [A.c, B.c]);
    // The administrator enters the lab result at A; the cashier takes an advance; admin adds leave.
    A.c.ok('labs.collect', { orderId: order!.orderId }, A.admin);
    A.c.ok('labs.recordResult', { orderId: order!.orderId, value: '13.1' }, A.admin);
    const kiran = A.c.login(STAFF.kiran.username, STAFF.kiran.password);
    A.c.ok('billing.recordPayment', { patientId, parts: [{ mode: 'cash', amountPaise: 50_000 }] }, kiran);
    A.c.ok('doctors.addLeave', { doctorId, fromDate: bookableDate(10), toDate: bookableDate(11), reason: 'Conference' }, A.admin);
    // The doctor keeps a template and amends the completed note; the cashier bills, is paid,
    // refunds part, voids a second draft and closes the day:
    // the rule book lets each of these through on the desk and on the server.
    B.c.ok('templates.save', { name: 'Fever', note: { advice: 'Fluids' } }, meera);
    B.c.ok('consultations.amend', { visitId: token.visitId, note: { advice: 'Fluids and rest' }, reason: 'Added rest' }, meera);
    const consult = { kind: 'consultation', description: 'Consultation', sacHsn: '999312', quantity: 1, ratePaise: 50_000 };
    const bill = A.c.ok('billing.createInvoice', { patientId, visitId: token.visitId, lines: [consult] }, kiran);
    const issuedBill = A.c.ok('billing.issueInvoice', { invoiceId: bill.id }, kiran);
    A.c.ok('billing.recordPayment', { invoiceId: bill.id, parts: [{ mode: 'upi', amountPaise: issuedBill.totals.totalPaise, reference: '123456789012' }] }, kiran);
    const refund = A.c.ok('billing.refund', { invoiceId: bill.id, lines: [{ line: 0, amountPaise: 10_000 }], mode: 'cash', reason: 'Review visit fee waived' }, kiran);
    expect(refund.creditNote).toMatchObject({ kind: 'refund-voucher', number: expect.stringMatching(/^\d{4}\/[A-Z0-9]+\/V00001$/) });
    const second = A.c.ok('billing.createInvoice', { patientId, lines: [consult] }, rita);
    A.c.ok('billing.voidInvoice', { invoiceId: second.id, reason: 'Raised by mistake' }, rita);
    A.c.ok('billing.dayEnd', { date: bookableDate(0), denominations: { '500': 1 }, close: true, differenceReason: 'Float of ₹600 left in the till' }, kiran);
    // The receptionist changes her own password at A; it is hers at B too, and the old one is not.
    const ritaOnB = B.c.login(STAFF.rita.username, STAFF.rita.password);
    A.c.ok('auth.changePassword', { currentPassword: STAFF.rita.password, newPassword: 'rita-chose-this-9' }, rita);
    await converge(server, clinicId, [A.c, B.c]);
    expect(B.c.call('auth.login', { username: STAFF.rita.username, password: STAFF.rita.password }).ok).toBe(false);
    expect(B.c.call('auth.login', { username: STAFF.rita.username, password: 'rita-chose-this-9' }).ok).toBe(true);
    // Her session at B, opened with the old password, has ended.
    expect(B.c.call('patients.search', { query: 'Opdday' }, ritaOnB)).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    await converge(server, clinicId, [A.c, B.c]);

    expect(await server.store.rejectedChanges(clinicId)).toEqual([]);
    for (const d of [A, B]) expect(d.c.app.sync.getStatus()).toMatchObject({ pending: 0, rejected: 0 });
    // The refund voucher, signed by the cashier, is on the server and at the other desk.
    expect((await serverRows(server.database.db, clinicId, 'credit_notes')).map((r) => r.data.number)).toEqual([refund.creditNote!.number]);
    expect(B.c.ok('billing.invoice', { invoiceId: bill.id }, B.admin).creditNotes.map((n) => n.number)).toEqual([refund.creditNote!.number]);
    const orders = await serverRows(server.database.db, clinicId, 'lab_orders');
    expect(orders.map((o) => o.data.status)).toEqual(['resulted']);
    expect(B.c.ok('labs.pending', {}, meera).map((o) => o.status)).toEqual(['resulted']);
  }, 120_000);
});
