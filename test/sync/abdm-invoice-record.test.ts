import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { formatHlc } from '../../shared/hlc';
import type { Change } from '../../shared/sync-protocol';
import { changeSigner } from '../../electron/services/signing-keys';
import { outboxCounts, pendingBatch } from '../../electron/sync/outbox';
import { startSyncServer } from '../helpers/sync';
import { connectAs, converge, credentialsOf, keyOf, register, serverRows, setupClinic, signed, STAFF, type Desk } from './harness';

/*
 * Issue #17 on the server: a care context's Invoice record is what ABDM is sent for the visit's
 * bill. A cashier's desk may only put there an issued, non-void bill of that visit and patient, as
 * it stands (number, totals), and may replace or remove it only once its bill is void. The bill's
 * own changes may come in the same push, before or after the care context's (applied first then).
 */

const CONSULT = { kind: 'consultation', description: 'Consultation', sacHsn: '999312', quantity: 1, ratePaise: 50_000 } as const;
type Bundle = { entry: { resource: Record<string, unknown> }[] };

describe('a care context’s Invoice record, checked against the bill rows', () => {
  it('refuses a made-up, altered, void or other visit’s bill and dropping a standing one; takes the real void and re-issue, in any order', async () => {
    const server = await startSyncServer();
    const { clinicId, devices, staff, doctorId } = await setupClinic(server, { devices: 1 });
    const [A] = devices as [Desk];
    const kiranToken = A.c.login('kiran', STAFF.kiran.password);
    const meeraToken = A.c.login('meera', STAFF.meera.password);
    const [asha, bela] = [register(A, 'Asha', 1), register(A, 'Bela', 2)] as [string, string];
    const completed = (patientId: string, before?: (visitId: string) => void) => {
      const { visitId } = A.c.ok('queue.checkIn', { patientId, doctorId }, A.admin);
      A.c.ok('queue.callNext', {}, meeraToken);
      A.c.ok('consultations.save', { visitId, note: { chiefComplaints: ['Fever for 3 days'] } }, meeraToken);
      before?.(visitId);
      A.c.ok('consultations.complete', { visitId }, meeraToken);
      return visitId;
    };
    const bill = (patientId: string, visitId: string, ratePaise = 50_000) => {
      const draft = A.c.ok('billing.createInvoice', { patientId, visitId, lines: [{ ...CONSULT, ratePaise }] }, kiranToken);
      return A.c.ok('billing.issueInvoice', { invoiceId: draft.id }, kiranToken);
    };
    const ccOf = (visitId: string) => A.c.app.database.sqlite.prepare('SELECT id, bundles FROM abdm_care_contexts WHERE visit_id = ?').get(visitId) as { id: string; bundles: string };
    const invoiceBundle = (visitId: string) => (JSON.parse(ccOf(visitId).bundles) as Record<string, Bundle>).Invoice!;
    const opBundle = (visitId: string) => (JSON.parse(ccOf(visitId).bundles) as Record<string, Bundle>).OPConsultation!;

    const [v1, v2, v3] = [completed(asha), completed(bela), completed(asha)];
    const x = bill(asha, v1);
    const y = bill(bela, v2);
    const q = bill(asha, v3, 20_000);
    A.c.ok('billing.voidInvoice', { invoiceId: q.id, reason: 'Wrong fee' }, kiranToken);
    // Paid before the doctor completes: the doctor's care context is made holding that bill.
    let paidFirst = '';
    const v4 = completed(bela, (visitId) => void (paidFirst = String(bill(bela, visitId).invoiceNumber)));
    await converge(server, clinicId, [A.c]);
    const yBundle = invoiceBundle(v2);

    // Offline, the cashier issues v3's bill, voids v1's and issues the corrected one.
    await A.c.app.sync.stop();
    const w = bill(asha, v3, 30_000);
    const wChanges = pendingBatch(A.c.app.database.sqlite).filter((c) => c.table !== 'abdm_care_contexts');
    const wBundle = invoiceBundle(v3);
    A.c.ok('billing.voidInvoice', { invoiceId: x.id, reason: 'Wrong fee' }, kiranToken);
    const z = bill(asha, v1, 40_000);
    const real = pendingBatch(A.c.app.database.sqlite);

    const kiran = changeSigner(staff.kiran, keyOf(A.c, staff.kiran, STAFF.kiran.password));
    let counter = 0;
    const setInvoice = (visitId: string, invoice: Bundle | null, signer = kiran): Change => {
      const hlc = formatHlc({ wallMs: Date.now(), counter: counter++, deviceId: A.c.app.deviceId });
      const bundles = { OPConsultation: opBundle(visitId), ...(invoice ? { Invoice: invoice } : {}) };
      const columns = { hi_types: Object.keys(bundles), bundles, updated_at: Date.now(), device_id: A.c.app.deviceId, hlc };
      return signed({ id: uuidv7(), seq: counter, table: 'abdm_care_contexts', rowId: ccOf(visitId).id, op: 'update', columns, hlc, userId: signer.userId }, signer);
    };
    const tampered = (b: Bundle, f: (inv: Record<string, unknown>) => void): Bundle => {
      const copy = JSON.parse(JSON.stringify(b)) as Bundle;
      f(copy.entry.find((e) => e.resource.resourceType === 'Invoice')!.resource);
      return copy;
    };
    const naming = (id: string, number: string) => (inv: Record<string, unknown>) => {
      inv.identifier = [{ type: { text: 'Bill of Supply' }, value: number }, { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${id}` }];
    };
    const madeUp = uuidv7();
    const attempts: [string, Change, string | null][] = [
      // The bill's issue comes after the care context in this push: it is read as it will stand.
      ['v3’s real bill with its total altered', setInvoice(v3, tampered(wBundle, (inv) => (inv.totalGross = { value: 5, currency: 'INR' }))), `the Invoice record of an ABDM care context matches its bill: it says ₹5.00, bill ${w.invoiceNumber} comes to ₹300.00`],
      ...wChanges.map((c): [string, Change, null] => [`v3’s bill: ${c.table}`, c, null]),
      ['Bela’s bill put in Asha’s visit', setInvoice(v3, yBundle), `the Invoice record of an ABDM care context is a bill of that visit: bill ${y.invoiceNumber} is of another visit`],
      ['v3’s voided bill', setInvoice(v3, tampered(wBundle, naming(q.id, String(q.invoiceNumber)))), `the Invoice record of an ABDM care context is an issued bill: bill ${q.invoiceNumber} is void`],
      ['a bill nobody issued', setInvoice(v3, tampered(wBundle, naming(madeUp, '2627/A/009999'))), `the Invoice record of an ABDM care context is a bill that is there: bill ${madeUp} is not`],
      ['v1’s standing bill dropped', setInvoice(v1, null), `the Invoice record of an ABDM care context holds bill ${x.invoiceNumber}, still issued: it is replaced or removed only once that bill is void`],
    ];
    const client = await connectAs(server.url, credentialsOf(A.c));
    const ack = await client.push(attempts.map(([, c]) => c));
    if (!ack.ok) throw new Error(ack.message);
    expect(ack.results.map((r, i) => [attempts[i]![0], r.status, r.reason ?? null])).toEqual(attempts.map(([what, , reason]) => [what, reason ? 'rejected' : 'applied', reason]));
    const numberHeld = async (visitId: string) => {
      const row = (await serverRows(server.database.db, clinicId, 'abdm_care_contexts')).find((r) => r.data.visit_id === visitId)!;
      const b = (row.data.bundles as Record<string, Bundle>).Invoice;
      return b ? (b.entry.find((e) => e.resource.resourceType === 'Invoice')!.resource.identifier as { value: string }[])[0]!.value : null;
    };
    expect([await numberHeld(v1), await numberHeld(v3)]).toEqual([x.invoiceNumber, null]);

    // The desk's real changes, the care contexts' first: each waits on the bill's change later in the push.
    const first = [...real.filter((c) => c.table === 'abdm_care_contexts'), ...real.filter((c) => c.table !== 'abdm_care_contexts')];
    const realAck = await client.push(first);
    client.close();
    if (!realAck.ok) throw new Error(realAck.message);
    expect(realAck.results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect([await numberHeld(v1), await numberHeld(v3), await numberHeld(v2), await numberHeld(v4)]).toEqual([z.invoiceNumber, w.invoiceNumber, y.invoiceNumber, paidFirst]);
    A.c.app.sync.start();
    await converge(server, clinicId, [A.c]);
    expect(A.c.app.database.sqlite.prepare("SELECT table_name, rejected_reason FROM change_log WHERE rejected_at IS NOT NULL").all()).toEqual([]);
    expect(outboxCounts(A.c.app.database.sqlite).rejected).toBe(0);
  }, 180_000);

  it('a doctor completing offline while the bill they hold was voided and re-issued at the counter: the visit’s record still reaches the server; only the stale bill is refused', async () => {
    const server = await startSyncServer();
    const { clinicId, devices, doctorId } = await setupClinic(server, { devices: 2 });
    const [room, counter] = devices as [Desk, Desk];
    const meera = room.c.login('meera', STAFF.meera.password);
    const kiran = counter.c.login('kiran', STAFF.kiran.password);
    const asha = register(room, 'Asha', 1);
    const { visitId } = room.c.ok('queue.checkIn', { patientId: asha, doctorId }, room.admin);
    room.c.ok('queue.callNext', {}, meera);
    await converge(server, clinicId, [room.c, counter.c]);
    // Paid first at the counter; the doctor's room sees that bill, then goes offline.
    const wrong = counter.c.ok('billing.issueInvoice', { invoiceId: counter.c.ok('billing.createInvoice', { patientId: asha, visitId, lines: [{ ...CONSULT, ratePaise: 80_000 }] }, kiran).id }, kiran);
    await converge(server, clinicId, [room.c, counter.c]);
    await room.c.app.sync.stop();
    counter.c.ok('billing.voidInvoice', { invoiceId: wrong.id, reason: 'Wrong fee' }, kiran);
    const right = counter.c.ok('billing.issueInvoice', { invoiceId: counter.c.ok('billing.createInvoice', { patientId: asha, visitId, lines: [{ ...CONSULT }] }, kiran).id }, kiran);
    await counter.c.app.sync.syncNow();
    room.c.ok('consultations.save', { visitId, note: { chiefComplaints: ['Fever for 3 days'] } }, meera);
    room.c.ok('consultations.complete', { visitId }, meera);
    room.c.app.sync.start();
    await converge(server, clinicId, [room.c, counter.c]);

    // The care context is on the server with the doctor's record: ABDM can discover and link the visit.
    const held = (await serverRows(server.database.db, clinicId, 'abdm_care_contexts')).find((r) => r.data.visit_id === visitId);
    expect(held?.data.hi_types).toEqual(['OPConsultation']);
    // What was refused is the bill the room still thought stood, and it says why.
    const refused = room.c.app.database.sqlite.prepare("SELECT table_name, rejected_reason FROM change_log WHERE rejected_at IS NOT NULL").all() as { table_name: string; rejected_reason: string }[];
    expect(refused).toEqual([{ table_name: 'abdm_care_contexts', rejected_reason: `the Invoice record of an ABDM care context is an issued bill: bill ${wrong.invoiceNumber} is void` }]);
    expect(right.invoiceNumber).not.toBe(wrong.invoiceNumber);
  }, 180_000);
});
