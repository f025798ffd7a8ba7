import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { changeSigner } from '../../electron/services/signing-keys';
import { createAbdmBridge, type AbdmBridge } from '../../server/abdm/bridge';
import type { AbdmConfig } from '../../server/abdm/config';
import { ON_SHARE_PATH } from '../../server/abdm/share';
import { formatHlc } from '../../shared/hlc';
import type { Change } from '../../shared/sync-protocol';
import { startAbdmSim } from '../helpers/abdm-sim';
import type { SharePatient } from '../helpers/abdm-sim/share';
import { ADMIN } from '../helpers/app';
import { startSyncServer, waitFor } from '../helpers/sync';
import { connectAs, converge, credentialsOf, keyOf, serverRows, setupClinic, signed, STAFF, type Desk } from './harness';

/**
 * ABDM Scan & Share end to end: the gateway simulator posts shared profiles to the real sync
 * server's bridge (PGlite), the server issues tokens and answers on-share, stores each share as a
 * server-authored row, and real desks pull it, match or register the person and check them in.
 */
const CLIENT_ID = 'SBX_0000412';
const CLIENT_SECRET = 'c1ient-s3cret-never-logged';
const HIP_ID = 'IN2710001234';
const SITA: SharePatient = {
  abhaNumber: '91-1234-5678-9012',
  abhaAddress: 'sita.devi@sbx',
  name: 'Sita Devi',
  gender: 'F',
  dayOfBirth: '14',
  monthOfBirth: '3',
  yearOfBirth: '1988',
  address: { line: '12 MG Road', district: 'Pune', state: 'Maharashtra', pincode: '411001' },
  phoneNumber: '9876543210',
};
const RAVI: SharePatient = { abhaAddress: 'ravi.kumar@sbx', name: 'Ravi Kumar', gender: 'M', yearOfBirth: '1975', address: { line: null, state: 'Maharashtra', pincode: '411002' }, phoneNumber: '9822012345' };

type ShareRow = { token: string; status: string; patient_id: string | null; visit_id: string | null; abha_address: string };
const localShares = (d: Desk) => d.c.app.database.sqlite.prepare('SELECT token, status, patient_id, visit_id, abha_address FROM abdm_profile_shares ORDER BY token_no').all() as ShareRow[];

async function setup() {
  const sim = await startAbdmSim({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, hipIds: [HIP_ID] });
  let bridge: AbdmBridge | null = null;
  const config: AbdmConfig = { gatewayUrl: sim.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, cmId: 'sbx', hipId: HIP_ID, publicBaseUrl: 'https://clinic.example.in/abdm' };
  const server = await startSyncServer({
    abdm: (database) => (bridge = createAbdmBridge(config, database.db, { backoffMs: 10, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) })),
  });
  sim.knobs.callbackBaseUrl = `${server.url}/abdm`;
  const settled = () => bridge!.settled();
  return { sim, server, settled };
}

describe('ABDM Scan & Share', () => {
  it('issues one token per share, answers on-share with it, and every desk (one offline at the time) gets the share, matches or registers, checks in and sees the status', async () => {
    const { sim, server, settled } = await setup();
    const { clinicId, devices, doctorId } = await setupClinic(server, { devices: 2 });
    const [A, B] = devices as [Desk, Desk];
    // Ravi is already a patient here (same mobile, same name, born in 1975).
    const rita = A.c.login('rita', STAFF.rita.password);
    const ravi = A.c.ok('patients.register', { patient: { givenName: 'Ravi', familyName: 'Kumar', gender: 'male', dob: '1975-08-20', mobile: '9822012345' } }, rita);
    if (ravi.status !== 'registered') throw new Error('Ravi not registered');
    await converge(server, clinicId, [A.c, B.c]);
    await B.c.app.sync.stop();

    // Sita scans the counter's code; the gateway delivers the share three times (its redelivery).
    const sita = await sim.share.send(HIP_ID, 'desk-1', SITA, 3);
    expect(sita.statuses).toEqual([200, 200, 200]);
    const other = await sim.share.send(HIP_ID, 'desk-1', RAVI);
    expect(other.statuses).toEqual([200]);
    await settled();
    expect(sim.share.answerTo(sita.requestId).map((o) => [o.tokenNumber, o.context, o.abhaAddress])).toEqual([['SHARE-1', 'desk-1', SITA.abhaAddress]]);
    expect(sim.share.answerTo(other.requestId).map((o) => o.tokenNumber)).toEqual(['SHARE-2']);
    expect(sim.share.refusedOnShares).toEqual([]);
    const onShare = sim.received.find((r) => r.path === ON_SHARE_PATH)!;
    expect(onShare.status).toBe(202);
    expect(onShare.headers['x-cm-id']).toBe('sbx');
    expect(String(onShare.headers.authorization)).toMatch(/^Bearer sim\./);
    expect(sim.share.onShares[0]!.expiry).toBeGreaterThan(1700);
    expect(sim.share.onShares[0]!.expiry).toBeLessThanOrEqual(1800);
    // Sita scans again (a new request) within the token's validity: the same token, no new row.
    const again = await sim.share.send(HIP_ID, 'desk-1', SITA);
    await settled();
    expect(sim.share.answerTo(again.requestId).map((o) => o.tokenNumber)).toEqual(['SHARE-1']);
    const onServer = await serverRows(server.database.db, clinicId, 'abdm_profile_shares');
    expect(onServer.map((r) => r.data.token).sort()).toEqual(['SHARE-1', 'SHARE-2']);

    // A (online) pulls them; B was offline when they came and gets them when it reconnects.
    await A.c.app.sync.syncNow();
    expect(localShares(A).map((s) => [s.token, s.status])).toEqual([['SHARE-1', 'waiting'], ['SHARE-2', 'waiting']]);
    expect(localShares(B)).toEqual([]);
    B.c.app.sync.start();
    await converge(server, clinicId, [A.c, B.c]);
    expect(localShares(B).map((s) => s.token)).toEqual(['SHARE-1', 'SHARE-2']);

    // Reception on A: Ravi matches the patient already here; Sita is new and registered from her profile.
    const list = A.c.ok('scanshare.list', {}, rita);
    const [sitaShare, raviShare] = [list.find((s) => s.token === 'SHARE-1')!, list.find((s) => s.token === 'SHARE-2')!];
    expect(sitaShare).toMatchObject({ name: 'Sita Devi', abhaAddress: SITA.abhaAddress, dob: '1988-03-14', mobile: '9876543210', status: 'waiting' });
    expect(A.c.ok('scanshare.candidates', { shareId: raviShare.id }, rita).candidates.map((c) => c.id)).toEqual([ravi.patient.id]);
    expect(A.c.ok('scanshare.candidates', { shareId: sitaShare.id }, rita).candidates).toEqual([]);
    const sitaPatient = A.c.ok('patients.register', { patient: { givenName: 'Sita', familyName: 'Devi', gender: 'female', dob: '1988-03-14', mobile: '9876543210', abhaNumber: SITA.abhaNumber, abhaAddress: SITA.abhaAddress } }, rita);
    if (sitaPatient.status !== 'registered') throw new Error('Sita not registered');
    expect(A.c.ok('scanshare.link', { shareId: sitaShare.id, patientId: sitaPatient.patient.id }, rita).status).toBe('registered');
    const checked = A.c.ok('scanshare.checkIn', { shareId: sitaShare.id, patientId: sitaPatient.patient.id, doctorId }, rita);
    expect(checked.tokenLabel).toBe('SHARE-1');
    // Matched by ABHA now that she is registered.
    expect(A.c.ok('scanshare.candidates', { shareId: sitaShare.id }, rita).candidates.map((c) => [c.id, c.reasons])).toEqual([[sitaPatient.patient.id, ['Same ABHA']]]);
    const raviIn = A.c.ok('scanshare.checkIn', { shareId: raviShare.id, patientId: ravi.patient.id, doctorId }, rita);
    expect(raviIn.tokenLabel).toBe('SHARE-2');

    // B sees the progress, and the queue with the tokens the patients' apps show.
    await converge(server, clinicId, [A.c, B.c]);
    expect(localShares(B).map((s) => [s.token, s.status, s.patient_id, s.visit_id])).toEqual([
      ['SHARE-1', 'checked_in', sitaPatient.patient.id, checked.visitId],
      ['SHARE-2', 'checked_in', ravi.patient.id, raviIn.visitId],
    ]);
    const ritaB = B.c.login('rita', STAFF.rita.password);
    expect(B.c.ok('queue.list', { doctorId }, ritaB).map((v) => v.tokenLabel).sort()).toEqual(['SHARE-1', 'SHARE-2']);
    expect(B.c.ok('scanshare.list', {}, ritaB).map((s) => s.status)).toEqual(['checked_in', 'checked_in']);
    expect(await server.store.rejectedChanges(clinicId)).toEqual([]);
  }, 120_000);

  it('a share redelivered after its on-share failed is answered again with the same token, even after a restart; reception sees one entry; once answered it is not answered again', async () => {
    const { sim, server, settled } = await setup();
    const { clinicId, devices } = await setupClinic(server, { devices: 1 });
    const [A] = devices as [Desk];
    // The gateway takes the share (200) but fails every attempt of our on-share: the first and the client's 4 retries.
    sim.share.faults.failOnShares = 5;
    const first = await sim.share.send(HIP_ID, 'desk-1', SITA);
    expect(first.statuses).toEqual([200]);
    await settled();
    expect(sim.share.faults.failedOnShares).toBe(5);
    expect(sim.share.answerTo(first.requestId)).toEqual([]);
    // Without its on-share the gateway redelivers the share, same REQUEST-ID, here to a restarted server.
    await server.restart();
    // A "copy" carrying someone else's profile under that REQUEST-ID is not given Sita's token.
    await sim.share.send(HIP_ID, 'desk-1', RAVI, 1, first.requestId);
    await settled();
    expect(sim.share.onShares).toEqual([]);
    expect((await sim.share.send(HIP_ID, 'desk-1', SITA, 1, first.requestId)).statuses).toEqual([200, 200, 200]);
    await settled();
    expect(sim.share.answerTo(first.requestId).map((o) => [o.tokenNumber, o.context, o.abhaAddress])).toEqual([['SHARE-1', 'desk-1', SITA.abhaAddress]]);
    expect(sim.share.onShares[0]!.expiry).toBeLessThanOrEqual(1800);
    // Answered now: a later copy is not answered a second time, and no second token or row is made.
    await sim.share.send(HIP_ID, 'desk-1', SITA, 1, first.requestId);
    await settled();
    expect(sim.share.answerTo(first.requestId)).toHaveLength(1);
    expect(sim.share.refusedOnShares).toEqual([]);
    expect((await serverRows(server.database.db, clinicId, 'abdm_profile_shares')).map((r) => r.data.token)).toEqual(['SHARE-1']);
    // The desk reconnects to the restarted server by itself; reception then sees the one share.
    await waitFor(() => A.c.app.sync.getStatus().state === 'online', 'the desk to reconnect after the restart', 30_000);
    await A.c.app.sync.syncNow();
    const rita = A.c.login('rita', STAFF.rita.password);
    expect(A.c.ok('scanshare.list', {}, rita).map((s) => [s.token, s.name, s.status])).toEqual([['SHARE-1', 'Sita Devi', 'waiting']]);
  }, 120_000);

  it('refuses every device push that makes a share or changes its token or profile, signed or not', async () => {
    const { sim, server, settled } = await setup();
    const { clinicId, devices, staff } = await setupClinic(server, { devices: 1 });
    const [A] = devices as [Desk];
    const sent = await sim.share.send(HIP_ID, 'desk-1', SITA);
    expect(sent.statuses).toEqual([200]);
    await settled();
    await A.c.app.sync.syncNow();
    const [share] = await serverRows(server.database.db, clinicId, 'abdm_profile_shares');
    if (!share) throw new Error('no share on the server');
    const adminId = A.c.ok('auth.me', {}, A.admin).user.id;
    const ritaKey = keyOf(A.c, staff.rita, STAFF.rita.password);
    const adminKey = keyOf(A.c, adminId, ADMIN.password);
    const hlc = () => formatHlc({ wallMs: Date.now() + 1000, counter: 0, deviceId: A.c.app.deviceId });
    const change = (userId: string | null, op: Change['op'], rowId: string, columns: Record<string, unknown>): Change => ({ id: uuidv7(), seq: 1, table: 'abdm_profile_shares', rowId, op, columns: { ...columns, hlc: hlc() }, hlc: hlc(), userId });
    const forgedRow = { ...share.data, id: uuidv7(), token: 'SHARE-99', token_no: 99, device_id: A.c.app.deviceId };
    const pushes = [
      change(null, 'insert', forgedRow.id, forgedRow),
      signed(change(staff.rita, 'insert', forgedRow.id, { ...forgedRow }), changeSigner(staff.rita, ritaKey)),
      signed(change(adminId, 'insert', forgedRow.id, { ...forgedRow }), changeSigner(adminId, adminKey)),
      signed(change(staff.rita, 'update', share.rowId, { token: 'SHARE-7', device_id: A.c.app.deviceId }), changeSigner(staff.rita, ritaKey)),
      signed(change(adminId, 'update', share.rowId, { name: 'Someone Else', abha_address: 'someone@sbx', device_id: A.c.app.deviceId }), changeSigner(adminId, adminKey)),
      signed(change(adminId, 'update', share.rowId, { deleted_at: Date.now(), device_id: A.c.app.deviceId }), changeSigner(adminId, adminKey)),
    ];
    const client = await connectAs(server.url, credentialsOf(A.c));
    const ack = await client.push(pushes);
    // The desk's own kind of change, its progress, is taken.
    const progress = await client.push([signed(change(staff.rita, 'update', share.rowId, { status: 'registered', device_id: A.c.app.deviceId }), changeSigner(staff.rita, ritaKey))]);
    client.close();
    expect(ack.ok && ack.results.map((r) => [r.status, r.reason])).toEqual([
      ['rejected', 'a change to abdm_profile_shares must come from a logged-in user'],
      ['rejected', 'a receptionist may not change abdm_profile_shares'],
      ['rejected', 'an admin may not change abdm_profile_shares'],
      ['rejected', "on a shared ABDM profile a desk records only status, patient_id, visit_id, not token (ABDM's, through the clinic's server)"],
      ['rejected', "on a shared ABDM profile a desk records only status, patient_id, visit_id, not name, abha_address (ABDM's, through the clinic's server)"],
      ['rejected', 'an admin may not delete abdm_profile_shares'],
    ]);
    expect(progress.ok && progress.results[0]).toMatchObject({ status: 'applied' });
    const [after] = await serverRows(server.database.db, clinicId, 'abdm_profile_shares');
    expect(after!.data).toMatchObject({ token: 'SHARE-1', name: 'Sita Devi', abha_address: SITA.abhaAddress, status: 'registered', deleted_at: null });
    expect((await serverRows(server.database.db, clinicId, 'abdm_profile_shares')).length).toBe(1);
  }, 120_000);
});
