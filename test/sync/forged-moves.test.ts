import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { formatHlc } from '../../shared/hlc';
import type { Change } from '../../shared/sync-protocol';
import type { ChangeSigner } from '../../electron/services/signing-keys';
import { changeSigner } from '../../electron/services/signing-keys';
import { ADMIN } from '../helpers/app';
import { startSyncServer } from '../helpers/sync';
import { connectAs, converge, credentialsOf, keyOf, register, serverRows, setupClinic, signed, STAFF, type Desk } from './harness';

/*
 * A row changes patient only through a merge (server/patient-merges.ts). A receptionist's signed
 * push cannot move one patient's visit to another without merging the two; a merge pushed in the
 * old order (moves first, record last) is still accepted in one push; a merge record listing
 * another patient's visit as "moved" keeps only what really was the merged record's, so the
 * administrator's undo sends back only that; and nothing moves back without an undone merge.
 */
describe('patient moves need a merge', () => {
  it('refuses a move without a merge, keeps only verified rows in a merge record, and moves back only what the undone merge moved', async () => {
    const server = await startSyncServer();
    const { clinicId, devices, doctorId, staff } = await setupClinic(server, { devices: 1 });
    const [A] = devices as [Desk];
    const rita = A.c.login(STAFF.rita.username, STAFF.rita.password);
    const [asha, bela, belaa] = [register(A, 'Asha', 1, rita), register(A, 'Bela', 2, rita), register(A, 'Belaa', 3, rita)] as [string, string, string];
    const [ashaVisit, belaVisit, belaaVisit] = [asha, bela, belaa].map((patientId) => A.c.ok('queue.checkIn', { patientId, doctorId }, rita).visitId) as [string, string, string];
    await converge(server, clinicId, [A.c]);
    const adminId = A.c.app.database.sqlite.prepare("SELECT id FROM users WHERE username = 'admin'").pluck().get() as string;
    const mrn = (id: string) => A.c.app.database.sqlite.prepare('SELECT mrn FROM patients WHERE id = ?').pluck().get(id) as string;

    let counter = 0;
    const hlc = () => formatHlc({ wallMs: Date.now(), counter: counter++, deviceId: A.c.app.deviceId });
    const signers = { rita: changeSigner(staff.rita, keyOf(A.c, staff.rita, STAFF.rita.password)), admin: changeSigner(adminId, keyOf(A.c, adminId, ADMIN.password)) };
    const change = (by: ChangeSigner, userId: string, table: string, rowId: string, op: Change['op'], columns: Record<string, unknown>): Change => {
      const h = hlc();
      return signed({ id: uuidv7(), seq: ++counter, table, rowId, op, columns: { ...columns, updated_at: Date.now(), hlc: h, device_id: A.c.app.deviceId }, hlc: h, userId }, by);
    };
    const move = (who: 'rita' | 'admin', visitId: string, patientId: string) => change(signers[who], who === 'rita' ? staff.rita : adminId, 'visits', visitId, 'update', { patient_id: patientId });
    const push = async (changes: Change[]) => {
      const client = await connectAs(server.url, credentialsOf(A.c));
      const ack = await client.push(changes);
      client.close();
      if (!ack.ok) throw new Error(ack.message);
      return ack.results;
    };
    const visitsOnServer = async () => new Map((await serverRows(server.database.db, clinicId, 'visits')).map((r) => [r.rowId, r.data.patient_id]));

    // 1. Asha's visit filed under Bela by a receptionist, no merge: refused, the visit stays Asha's.
    const [alone] = await push([move('rita', ashaVisit, bela)]);
    expect([alone?.status, alone?.reason]).toEqual(['rejected', `this visit moves from MRN ${mrn(asha)} to MRN ${mrn(bela)}, but no merge of MRN ${mrn(asha)} into MRN ${mrn(bela)} is recorded: a record changes patient only by merging the two`]);
    expect((await visitsOnServer()).get(ashaVisit)).toBe(asha);

    // 2. A merge of Belaa into Bela pushed in the old order (the move, merged_into, then the record),
    // its record claiming Bela's own visit was moved too: accepted, the claim left out.
    const at = Date.now();
    const mergeId = uuidv7();
    const record = change(signers.rita, staff.rita, 'patient_merges', mergeId, 'insert', {
      id: mergeId, created_at: at, deleted_at: null, survivor_id: bela, merged_id: belaa, merged_mrn: mrn(belaa),
      moved: { visits: [belaaVisit, belaVisit] }, field_choices: {}, previous_values: {}, merged_by: staff.rita, merged_at: at, undone_at: null, undone_by: null,
    });
    const merged = await push([move('rita', belaaVisit, bela), change(signers.rita, staff.rita, 'patients', belaa, 'update', { merged_into: bela }), record]);
    expect(merged.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    expect(merged[2]?.warning).toBe(`1 record(s) this merge lists as moved were not MRN ${mrn(belaa)}'s on the server: left out of it (an undo does not move them)`);
    expect((await visitsOnServer()).get(belaaVisit)).toBe(bela);
    const stored = (await serverRows(server.database.db, clinicId, 'patient_merges')).find((r) => r.rowId === mergeId);
    expect(stored?.data.moved).toEqual({ visits: [belaaVisit] });

    // 3. Nothing moves back while the merge stands, even by an administrator.
    const [early] = await push([move('admin', belaaVisit, belaa)]);
    expect([early?.status, early?.reason]).toEqual(['rejected', `this visit moves from MRN ${mrn(bela)} to MRN ${mrn(belaa)}, but the merge of MRN ${mrn(belaa)} into MRN ${mrn(bela)} has not been undone`]);

    // 4. The administrator undoes it at the desk: Belaa gets back her visit, Bela keeps her own.
    await converge(server, clinicId, [A.c]);
    A.c.ok('patients.unmerge', { mergedId: belaa }, A.admin);
    await converge(server, clinicId, [A.c]);
    const after = await visitsOnServer();
    expect([after.get(belaaVisit), after.get(belaVisit), after.get(ashaVisit)]).toEqual([belaa, bela, asha]);
    const onDesk = (id: string) => A.c.app.database.sqlite.prepare('SELECT patient_id FROM visits WHERE id = ?').pluck().get(id);
    expect([onDesk(belaaVisit), onDesk(belaVisit)]).toEqual([belaa, bela]);

    // 5. After the undo, only what the merge moved may go back: Bela's own visit may not.
    const [late] = await push([move('admin', belaVisit, belaa)]);
    expect([late?.status, late?.reason]).toEqual(['rejected', `this visit moves from MRN ${mrn(bela)} to MRN ${mrn(belaa)}, but the undone merge of MRN ${mrn(belaa)} did not move it: only what a merge moved goes back`]);
    expect((await visitsOnServer()).get(belaVisit)).toBe(bela);
    await converge(server, clinicId, [A.c]);
  }, 120_000);
});
