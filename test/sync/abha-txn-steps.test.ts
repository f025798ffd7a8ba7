import { describe, expect, it } from 'vitest';
import { AbhaTxnStore } from '../../server/abdm/abha-txns';
import { startSyncServer } from '../helpers/sync';

/*
 * A step of Create ABHA sent twice (a double click, a retry of a slow answer): the first succeeds
 * and carries the transaction to the next step; ABDM then refuses the second (its txnId has moved
 * on) as an expired transaction. That refusal must not end, or give a try back to, the transaction
 * the first click carried on: the patient would be told "expired" at the address step.
 */
describe('an ABHA transaction step sent twice', () => {
  it('the late refusal of the second send leaves the transaction at its next step, with its tries', async () => {
    const server = await startSyncServer();
    const store = new AbhaTxnStore(server.database.db, 'client-secret', Date.now);
    const asker = { userId: 'u-rita', deviceId: 'd-front', clinicId: 'c-1' };
    const ref = await store.open('enrol', asker, 'aadhaar-otp', { txnId: 'abdm-1' }, Date.now() + 600_000);
    // Both sends take a try of the Aadhaar OTP step at once.
    const [first, second] = await Promise.all([store.claim('enrol', asker, ref, 'aadhaar-otp'), store.claim('enrol', asker, ref, 'aadhaar-otp')]);
    expect([first.ok, second.ok]).toEqual([true, true]);
    // The first is accepted: on to the address, with fresh tries.
    await store.advance('enrol', ref, 'address', { txnId: 'abdm-2' });
    // ABDM refuses the second as expired; a wrong OTP on it would have given nothing back either.
    await store.drop(ref, 'aadhaar-otp');
    await store.giveBack(ref, 'aadhaar-otp');
    const next = await store.claim<{ txnId: string }>('enrol', asker, ref, 'address');
    expect(next).toMatchObject({ ok: true, stage: 'address', state: { txnId: 'abdm-2' } });
    // Ended at its own step, it goes.
    await store.drop(ref, 'address');
    expect(await store.claim('enrol', asker, ref, 'address')).toMatchObject({ ok: false, code: 'expired' });
  });
});
