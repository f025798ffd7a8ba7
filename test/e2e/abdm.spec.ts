import fs from 'node:fs';
import { startAbdmSim } from '../helpers/abdm-sim';
import { SITA_ABHA } from '../helpers/abdm-sim/abha';
import { CLIENT_ID, CLIENT_SECRET, HIP_ID, joinedClinic, MEERA, pulledUntil, startServer } from './abdm-server';
import { ADMIN, expect, logIn, test } from './fixtures';

/**
 * The ABDM screens end to end: the real sync server (server/index.ts, PGlite) runs with its ABDM
 * settings pointing at the gateway simulator (started here, on loopback), a desk joined to it, and
 * the desk is driven by keyboard: Verify ABHA at registration, a Scan & Share from the simulator
 * checked in with its token, the patient's ABDM panel after a consent, the Facility connection check.
 */
const OTP = '739201';
const SHOTS = '/tmp/shots-abdmui';
const SITA = SITA_ABHA;

test('ABDM at the desk: Verify ABHA fills registration, a Scan & Share is checked in with its token, the ABDM panel shows the linked visit and the consent, and the Facility screen checks the connection', async ({ page, host }) => {
  test.setTimeout(240_000);
  fs.mkdirSync(SHOTS, { recursive: true });
  const sim = await startAbdmSim({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, hipIds: [HIP_ID], abhaAccounts: [SITA], abhaAddresses: [SITA.abhaAddress] });
  sim.abha.otp = OTP;
  const server = await startServer(sim);
  try {
    const { token } = await joinedClinic(host, server.url);
    await page.goto(host.url);
    await logIn(page, ADMIN.username, ADMIN.password);
    await expect(page.getByRole('heading', { name: 'Reception' })).toBeVisible();

    // 1. Verify ABHA by OTP at registration (keyboard only): Alt+N, Alt+V, number, Enter, OTP, Enter.
    await page.keyboard.press('Alt+n');
    await expect(page.getByRole('textbox', { name: 'Given name' })).toBeFocused();
    await page.keyboard.press('Alt+v');
    await expect(page.getByRole('textbox', { name: 'ABHA number (14 digits)' })).toBeFocused();
    await page.keyboard.type(SITA.abhaNumber);
    await page.keyboard.press('Enter');
    const otpBox = page.getByRole('textbox', { name: 'OTP the patient reads out (6 digits)' });
    await expect(otpBox).toBeFocused({ timeout: 30_000 });
    await page.screenshot({ path: `${SHOTS}/1-verify-otp.png` });
    await page.keyboard.type(OTP);
    await page.keyboard.press('Enter');
    const use = page.getByRole('button', { name: 'Use these details' });
    await expect(use).toBeFocused({ timeout: 30_000 });
    await page.screenshot({ path: `${SHOTS}/2-verified.png` });
    await page.keyboard.press('Enter');
    const form = page.getByRole('form', { name: 'Register patient' });
    await expect(form.getByRole('textbox', { name: 'Given name' })).toHaveValue('Sita');
    await expect(form.getByRole('textbox', { name: 'Family name' })).toHaveValue('Devi');
    await expect(form.getByRole('textbox', { name: 'ABHA address' })).toHaveValue(SITA.abhaAddress);
    await expect(form.getByRole('textbox', { name: 'Date of birth' })).toHaveValue('1988-11-14');
    await page.screenshot({ path: `${SHOTS}/3-prefilled.png` });
    await form.getByRole('textbox', { name: 'Mobile' }).focus();
    await page.keyboard.press('Enter');
    const summary = page.getByRole('region', { name: 'Patient summary' });
    await expect(summary.getByRole('heading', { name: 'Sita Devi' })).toBeVisible();
    const sita = (await host.api('patients.search', { query: 'sita.devi@sbx', limit: 5 }, token)).value[0].id as string;
    expect((await host.api('patients.get', { id: sita }, token)).value.patient).toMatchObject({ abhaAddress: SITA.abhaAddress, abhaVerifyMethod: 'abha-number-mobile-otp' });

    // 2. A Scan & Share from the simulator shows in Scanned profiles (Alt+S); matched, checked in with its token.
    const sent = await sim.share.send(HIP_ID, 'desk-1', { abhaNumber: SITA.abhaNumber, abhaAddress: SITA.abhaAddress, name: 'Sita Devi', gender: 'F', dayOfBirth: '14', monthOfBirth: '11', yearOfBirth: '1988', address: { line: SITA.address, district: 'Pune', state: 'Maharashtra', pincode: SITA.pincode }, phoneNumber: SITA.mobile });
    expect(sent.statuses).toEqual([200]);
    await pulledUntil(host, token, async () => expect((await host.api('scanshare.list', {}, token)).value).toHaveLength(1));
    await page.keyboard.press('Alt+s');
    const shares = page.getByRole('table', { name: 'Scanned profiles' });
    await expect(shares).toContainText('SHARE-1');
    await expect(shares).toContainText('Sita Devi');
    await page.screenshot({ path: `${SHOTS}/4-scanned-profiles.png` });
    await shares.getByRole('button', { name: 'Match' }).focus();
    await page.keyboard.press('Enter');
    await shares.getByRole('button', { name: 'This is them' }).focus();
    await page.keyboard.press('Enter');
    const checkIn = shares.getByRole('button', { name: 'Check in with SHARE-1' });
    await expect(checkIn).toBeVisible();
    await checkIn.focus();
    await page.keyboard.press('Enter');
    await expect(async () => expect((await host.api('scanshare.list', {}, token)).value[0]).toMatchObject({ status: 'checked_in', patientId: sita })).toPass({ timeout: 10_000 });
    await page.screenshot({ path: `${SHOTS}/5-checked-in.png` });
    await page.keyboard.press('Escape');

    // 3. The doctor completes the visit; the server links it; a consent comes; the ABDM panel (Alt+H) shows both.
    const meera = (await host.api('auth.login', { username: MEERA.username, password: MEERA.password })).value.token as string;
    const visitId = (await host.api('scanshare.list', {}, token)).value[0].visitId as string;
    expect((await host.api('queue.callNext', {}, meera)).ok).toBe(true);
    expect((await host.api('consultations.save', { visitId, note: { chiefComplaints: ['Fever for 3 days'], diagnoses: [{ code: 'J06.9', title: 'Acute upper respiratory infection, unspecified' }] } }, meera)).ok).toBe(true);
    expect((await host.api('consultations.complete', { visitId }, meera)).ok).toBe(true);
    await pulledUntil(host, token, async () => expect((await host.api('abdm.panel', { patientId: sita }, token)).value.clinical.visits[0].state).toBe('linked'));
    const consentId = crypto.randomUUID();
    await sim.notifyConsent(HIP_ID, {
      status: 'GRANTED',
      consentId,
      consentDetail: {
        schemaVersion: 'v3',
        consentId,
        createdAt: new Date().toISOString(),
        patient: { id: SITA.abhaAddress },
        careContexts: [{ patientReference: sita, careContextReference: visitId }],
        purpose: { text: 'Care Management', code: 'CAREMGT', refUri: 'www.abdm.gov.in' },
        hip: { id: HIP_ID, name: 'Sharma Clinic' },
        hiu: { id: 'HIU_CITY_HOSPITAL', name: 'City Hospital' },
        consentManager: { id: 'sbx' },
        requester: { name: 'Dr. Kapoor', identifier: { value: 'MH1001', type: 'REGNO', system: 'https://www.mciindia.org' } },
        hiTypes: ['OPConsultation'],
        permission: { accessMode: 'VIEW', dateRange: { from: '2020-01-01T00:00:00.000Z', to: '2030-12-31T00:00:00.000Z' }, dataEraseAt: new Date(Date.now() + 30 * 86_400_000).toISOString(), frequency: { unit: 'HOUR', value: 1, repeats: 0 } },
      },
      signature: 'c2lnbmVkIGJ5IHRoZSBjb25zZW50IG1hbmFnZXI=',
      grantAcknowledgement: false,
    });
    await pulledUntil(host, token, async () => expect((await host.api('abdm.panel', { patientId: sita }, token)).value.clinical.consents).toHaveLength(1));
    await page.reload();
    await expect(summary.getByRole('heading', { name: 'Sita Devi' })).toBeVisible();
    await page.keyboard.press('Alt+h');
    const panel = page.getByRole('dialog', { name: /ABDM/ });
    await expect(panel.getByRole('region', { name: 'Linked visits' })).toContainText('Linked');
    await expect(panel.getByRole('region', { name: 'ABHA' })).toContainText('Verified with ABDM');
    await expect(panel.getByRole('region', { name: 'ABHA' })).toContainText('Asha Sharma');
    const consents = panel.getByRole('region', { name: 'Consents' });
    await expect(consents).toContainText('Care management');
    await expect(consents).toContainText('HIU_CITY_HOSPITAL');
    await expect(consents).toContainText('GRANTED');
    await page.screenshot({ path: `${SHOTS}/6-abdm-panel.png` });
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();

    // 4. Facility: the server's settings (no secret) and a fresh session (Alt+K); the http callback is named.
    await page.getByRole('link', { name: /Facility/ }).click();
    const section = page.getByRole('region', { name: 'ABDM connection' });
    await expect(section).toBeVisible();
    await page.keyboard.press('Alt+k');
    await expect(section).toContainText('Connected: the gateway gave a session', { timeout: 30_000 });
    await expect(section.getByRole('table', { name: 'ABDM settings on the server' })).toContainText(CLIENT_ID);
    await expect(section.getByRole('table', { name: 'ABDM settings on the server' })).toContainText(HIP_ID);
    await expect(section.getByRole('alert')).toContainText('is not https');
    await expect(section).not.toContainText(CLIENT_SECRET);
    await section.screenshot({ path: `${SHOTS}/7-facility-abdm.png` });
  } finally {
    await server.stop();
    await sim.close();
  }
});
