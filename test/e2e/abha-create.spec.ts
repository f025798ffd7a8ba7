import fs from 'node:fs';
import { verhoeffDigit } from '../../shared/verhoeff';
import { startAbdmSim } from '../helpers/abdm-sim';
import type { SimAbhaAccount } from '../helpers/abdm-sim/abha';
import type { SimAadhaarPerson } from '../helpers/abdm-sim/abha-enrol';
import { CLIENT_ID, CLIENT_SECRET, HIP_ID, joinedClinic, MEERA, pulledUntil, startServer } from './abdm-server';
import { ADMIN, expect, logIn, test } from './fixtures';

/**
 * Create ABHA (Alt+E) at registration, in the browser against the real sync server and the ABDM
 * simulator's enrolment journey (docs/ABDM.md "M1: ABHA creation"): the consent ticked, a
 * mistyped Aadhaar number named before anything is sent, a wrong Aadhaar OTP said and retried, a
 * second mobile confirmed by its own OTP, a suggested ABHA address picked, the form filled and
 * saved; the patient card then says the ABHA was verified by being created here.
 */
const SHOTS = '/tmp/shots-abha-e2e';
const AADHAAR = '73641928507' + verhoeffDigit('73641928507');
// Two neighbouring digits swapped: the Verhoeff check digit catches it at the desk.
const MISTYPED = AADHAAR.slice(0, 2) + AADHAAR[3] + AADHAAR[2] + AADHAAR.slice(4);
const AADHAAR_OTP = '482913';
const MOBILE_OTP = '590374';
const OTHER_MOBILE = '9876543210';
const ANITA: SimAadhaarPerson = { aadhaar: AADHAAR, mobile: '9822012345', firstName: 'Anita', lastName: 'Kulkarni', gender: 'F', dob: '03-07-1992', address: '4 Shivaji Nagar', districtName: 'PUNE', stateName: 'MAHARASHTRA', pincode: '411005' };

test('Create ABHA at registration: a typo in the Aadhaar number and a wrong OTP are said and fixed; the new ABHA fills the form and the patient is saved verified as created', async ({ page, host }) => {
  test.setTimeout(240_000);
  fs.mkdirSync(SHOTS, { recursive: true });
  const sim = await startAbdmSim({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, hipIds: [HIP_ID], aadhaarPeople: [{ ...ANITA }] });
  sim.abha.otp = AADHAAR_OTP;
  sim.abhaEnrol.mobileOtp = MOBILE_OTP;
  const server = await startServer(sim);
  try {
    const { token } = await joinedClinic(host, server.url);
    await page.goto(host.url);
    await logIn(page, ADMIN.username, ADMIN.password);
    await expect(page.getByRole('heading', { name: 'Reception' })).toBeVisible();

    await page.keyboard.press('Alt+n');
    await expect(page.getByRole('textbox', { name: 'Given name' })).toBeFocused();
    await page.keyboard.press('Alt+e');
    const dialog = page.getByRole('dialog', { name: 'Create ABHA with Aadhaar OTP' });
    const consent = dialog.getByRole('checkbox', { name: 'The patient agrees' });
    await expect(consent).toBeFocused();
    await expect(dialog).toContainText('Read this to the patient (ABDM consent 1.4)');
    await page.keyboard.press('Space');
    await expect(consent).toBeChecked();
    await page.keyboard.press('Tab');
    const aadhaarBox = dialog.getByRole('textbox', { name: 'Aadhaar number (12 digits)' });
    await expect(aadhaarBox).toBeFocused();

    // A mistyped number is named at the desk; nothing reaches ABDM.
    await page.keyboard.type(MISTYPED);
    await page.keyboard.press('Enter');
    await expect(dialog.getByRole('alert')).toContainText('Aadhaar number: one digit is wrong or two are swapped');
    expect(sim.received.filter((r) => r.path === '/abha/api/v3/enrollment/request/otp')).toHaveLength(0);
    await page.screenshot({ path: `${SHOTS}/1-mistyped-aadhaar.png` });
    await aadhaarBox.fill('');
    await page.keyboard.type(`${AADHAAR.slice(0, 4)} ${AADHAAR.slice(4, 8)} ${AADHAAR.slice(8)}`);
    await page.keyboard.press('Enter');

    // A wrong Aadhaar OTP is said; the same transaction takes the right one.
    const otpBox = dialog.getByRole('textbox', { name: 'Aadhaar OTP the patient reads out (6 digits)' });
    await expect(otpBox).toBeFocused({ timeout: 30_000 });
    await expect(dialog).toContainText('OTP sent to Aadhaar registered mobile number ending with ******2345');
    await page.keyboard.type('000000');
    await page.keyboard.press('Tab');
    await page.keyboard.type(OTHER_MOBILE);
    await page.keyboard.press('Enter');
    await expect(dialog.getByRole('alert')).toContainText('Wrong OTP', { timeout: 30_000 });
    // The cursor is back on the OTP, ready to be retyped; the mobile stays.
    await expect(otpBox).toBeFocused();
    await page.screenshot({ path: `${SHOTS}/2-wrong-otp.png` });
    await page.keyboard.type(AADHAAR_OTP);
    await expect(otpBox).toHaveValue(AADHAAR_OTP);
    await page.keyboard.press('Enter');

    // The mobile is not Aadhaar's: its own OTP.
    const mobileOtp = dialog.getByRole('textbox', { name: 'Mobile OTP (6 digits)' });
    await expect(mobileOtp).toBeFocused({ timeout: 30_000 });
    await expect(dialog).toContainText('ending with ******3210');
    await page.keyboard.type(MOBILE_OTP);
    await page.keyboard.press('Enter');

    // ABDM's suggestions; the second one is picked.
    const suggested = dialog.getByRole('radiogroup', { name: 'ABHA address suggested by ABDM' });
    await expect(suggested).toBeVisible({ timeout: 30_000 });
    await expect(dialog.getByRole('alert')).toHaveCount(0);
    await suggested.getByRole('radio', { name: 'anitakulkarni1992@sbx' }).check();
    await expect(dialog.getByRole('textbox', { name: 'ABHA address (or type another)' })).toHaveValue('anitakulkarni1992');
    await page.screenshot({ path: `${SHOTS}/3-suggestions.png` });
    await dialog.getByRole('textbox', { name: 'ABHA address (or type another)' }).press('Enter');

    const use = dialog.getByRole('button', { name: 'Use these details' });
    await expect(use).toBeFocused({ timeout: 30_000 });
    await expect(dialog).toContainText('created here with Aadhaar OTP');
    await page.screenshot({ path: `${SHOTS}/4-created.png` });
    await page.keyboard.press('Enter');
    const form = page.getByRole('form', { name: 'Register patient' });
    await expect(form.getByRole('textbox', { name: 'Given name' })).toHaveValue('Anita');
    await expect(form.getByRole('textbox', { name: 'Family name' })).toHaveValue('Kulkarni');
    await expect(form.getByRole('textbox', { name: 'Date of birth' })).toHaveValue('1992-07-03');
    await expect(form.getByRole('textbox', { name: 'ABHA address' })).toHaveValue('anitakulkarni1992@sbx');
    const made = sim.abhaEnrol.created[0]!;
    // The mobile proven by its own OTP is the ABHA's: it fills the form too.
    const mobile = form.getByRole('textbox', { name: 'Mobile' });
    await expect(mobile).toHaveValue(OTHER_MOBILE);
    await page.screenshot({ path: `${SHOTS}/5-form-filled.png` });
    await mobile.focus();
    await page.keyboard.press('Enter');

    const summary = page.getByRole('region', { name: 'Patient summary' });
    await expect(summary.getByRole('heading', { name: 'Anita Kulkarni' })).toBeVisible();
    await expect(summary).toContainText('anitakulkarni1992@sbx');
    await expect(summary).toContainText('ABHA verified with ABDM (created here with Aadhaar OTP)');
    await summary.screenshot({ path: `${SHOTS}/6-patient-card.png` });
    const id = (await host.api('patients.search', { query: 'anitakulkarni1992@sbx', limit: 5 }, token)).value[0].id as string;
    expect((await host.api('patients.get', { id }, token)).value.patient).toMatchObject({ abhaNumber: made.abhaNumber.replace(/-/g, ''), abhaAddress: 'anitakulkarni1992@sbx', abhaVerifyMethod: 'created' });
  } finally {
    await server.stop();
    await sim.close();
  }
});

const SITA: SimAbhaAccount = { abhaNumber: '91-1234-5678-9012', abhaAddress: 'sita.devi@sbx', firstName: 'Sita', lastName: 'Devi', gender: 'F', dayOfBirth: '14', monthOfBirth: '11', yearOfBirth: '1988', mobile: '9876504321', address: '12 MG Road, Kothrud', districtName: 'PUNE', stateName: 'MAHARASHTRA', pincode: '411038' };

test('ABDM panel says why a visit is not linked (the server never verified the ABHA), and verifying it again from the edit form links the visit', async ({ page, host }) => {
  test.setTimeout(240_000);
  fs.mkdirSync(SHOTS, { recursive: true });
  const sim = await startAbdmSim({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, hipIds: [HIP_ID], abhaAccounts: [SITA], abhaAddresses: [SITA.abhaAddress] });
  sim.abha.otp = AADHAAR_OTP;
  const server = await startServer(sim);
  try {
    const { token, doctorId } = await joinedClinic(host, server.url);
    // Sita's ABHA is on her record but this server never verified it (typed, or verified at a desk before it kept its own record).
    const reg = await host.api('patients.register', { patient: { givenName: 'Sita', familyName: 'Devi', gender: 'female', dob: '1988-11-14', mobile: SITA.mobile, abhaNumber: SITA.abhaNumber, abhaAddress: SITA.abhaAddress } }, token);
    const sita = reg.value.patient.id as string;
    const { visitId } = (await host.api('queue.checkIn', { patientId: sita, doctorId }, token)).value as { visitId: string };
    const meera = (await host.api('auth.login', { username: MEERA.username, password: MEERA.password })).value.token as string;
    expect((await host.api('queue.callNext', {}, meera)).ok).toBe(true);
    expect((await host.api('consultations.save', { visitId, note: { chiefComplaints: ['Fever for 3 days'], diagnoses: [{ code: 'J06.9', title: 'Acute upper respiratory infection, unspecified' }] } }, meera)).ok).toBe(true);
    expect((await host.api('consultations.complete', { visitId }, meera)).ok).toBe(true);
    await pulledUntil(host, token, async () => expect((await host.api('abdm.panel', { patientId: sita }, token)).value.clinical.visits[0].state).toBe('unverified'));

    await page.goto(host.url);
    await logIn(page, ADMIN.username, ADMIN.password);
    await page.getByLabel('Find patient').fill(SITA.abhaAddress);
    await expect(page.getByRole('listbox', { name: 'Search results' }).getByRole('option')).toHaveCount(1);
    await page.getByLabel('Find patient').press('Enter');
    const summary = page.getByRole('region', { name: 'Patient summary' });
    await expect(summary.getByRole('heading', { name: 'Sita Devi' })).toBeVisible();
    await expect(summary).toContainText('ABHA not verified');
    await page.keyboard.press('Alt+h');
    const panel = page.getByRole('dialog', { name: /ABDM/ });
    await expect(panel.getByRole('region', { name: 'ABHA' }).getByRole('status')).toContainText("1 visit is not linked: verify the ABHA again (Edit details, then Alt+V) so ABDM accepts this clinic's link.");
    const visits = panel.getByRole('region', { name: 'Linked visits' });
    await expect(visits).toContainText('Not linked');
    await expect(visits).toContainText("Not linked: verify the ABHA again (Alt+V) so ABDM accepts this clinic's link");
    await page.screenshot({ path: `${SHOTS}/7-panel-not-linked.png` });
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();

    // Verified again from the edit form (Alt+V, the ABHA number prefilled), saved: the next sweep links the visit.
    await summary.getByRole('button', { name: 'Edit details' }).click();
    const form = page.getByRole('form', { name: 'Edit patient' });
    await expect(form).toBeVisible();
    await page.keyboard.press('Alt+v');
    await expect(page.getByRole('textbox', { name: 'ABHA number (14 digits)' })).toBeFocused();
    await page.keyboard.press('Enter');
    const otpBox = page.getByRole('textbox', { name: 'OTP the patient reads out (6 digits)' });
    await expect(otpBox).toBeFocused({ timeout: 30_000 });
    await page.keyboard.type(AADHAAR_OTP);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: 'Use these details' })).toBeFocused({ timeout: 30_000 });
    await page.keyboard.press('Enter');
    await form.getByRole('textbox', { name: 'Mobile' }).focus();
    await page.keyboard.press('Enter');
    await expect(form).toBeHidden();
    await expect(summary).toContainText('ABHA verified with ABDM');
    await pulledUntil(host, token, async () => expect((await host.api('abdm.panel', { patientId: sita }, token)).value.clinical.visits[0].state).toBe('linked'));
    await page.keyboard.press('Alt+h');
    await expect(panel.getByRole('region', { name: 'Linked visits' }).getByRole('cell', { name: 'Linked', exact: true })).toBeVisible();
    await expect(panel.getByRole('region', { name: 'ABHA' }).getByRole('status')).toHaveCount(0);
    await page.screenshot({ path: `${SHOTS}/8-panel-linked.png` });
  } finally {
    await server.stop();
    await sim.close();
  }
});
