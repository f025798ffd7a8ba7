import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { expect, logIn, setUpClinic, test, type Host } from './fixtures';

const SHOTS = '/tmp/shots-pharmui';

/**
 * A doctor prescribes Azithral 500 mg (Schedule H1) today; the pharmacy bought two batches, A0
 * expiring first and A1 with a barcode on its strips. Returns the admin's token.
 */
async function prescribedToday(host: Host): Promise<string> {
  const admin = await setUpClinic(host);
  await host.api('staff.create', { username: 'pooja', fullName: 'Pooja Kulkarni', password: 'pooja-pass-1', roles: ['pharmacist', 'cashier'] }, admin);
  const dr = (await host.api('staff.create', { username: 'drmehta', fullName: 'Anil Mehta', password: 'mehta-pass-1', roles: ['doctor'] }, admin)).value;
  await host.api(
    'doctors.upsert',
    { userId: dr.id, specialization: 'General Medicine', qualifications: 'MBBS, MD', registrationCouncil: 'MMC', registrationNumber: 'MMC-2011-12345', consultationFeePaise: 50000, followUpFeePaise: 20000, followUpWindowDays: 7, schedule: [] },
    admin,
  );
  const drug = await host.api('formulary.upsert', { genericName: 'Azithromycin', brandNames: ['Azithral'], form: 'tablet', strength: '500 mg', route: 'oral', schedule: 'H1', hsnCode: '3004', gstRateBp: 1200 }, admin);
  expect(drug.ok).toBe(true);
  const supplier = await host.api('pharmacy.saveSupplier', { name: 'Pune Pharma Distributors', drugLicences: [] }, admin);
  const line = { drugId: drug.value.id, mrpPaise: 11950, ratePaise: 9000, packSize: 3, gstRateBp: 1200, hsnCode: '30042019', packs: 5 };
  const bought = await host.api(
    'pharmacy.purchase',
    { supplierId: supplier.value.id, supplierInvoice: 'PPD/1', invoiceDate: '2026-01-01', lines: [{ ...line, batchNumber: 'A0', expiry: '2099-01-31' }, { ...line, batchNumber: 'A1', expiry: '2099-06-30', barcode: '8901234567890' }] },
    admin,
  );
  expect(bought.ok).toBe(true);
  const reg = await host.api(
    'patients.register',
    { patient: { givenName: 'Farida', familyName: 'Khan', gender: 'female', ageYears: 46, mobile: '9822000099', addressLine1: '4 Camp Road', city: 'Pune', pincode: '411001' } },
    admin,
  );
  await host.api('queue.checkIn', { patientId: reg.value.patient.id, doctorId: dr.id }, admin);
  const doctor = (await host.api('auth.login', { username: 'drmehta', password: 'mehta-pass-1' })).value.token;
  const next = await host.api('queue.callNext', {}, doctor);
  await host.api('consultations.save', { visitId: next.value.visitId, note: { chiefComplaints: ['Sore throat'], diagnoses: [{ code: 'J02.9', title: 'Acute pharyngitis, unspecified' }] } }, doctor);
  const item = { drugId: drug.value.id, genericName: 'Azithromycin', brand: 'Azithral', form: 'tablet', strength: '500 mg', route: 'oral', dose: '1 tab', frequency: '1-0-0', durationDays: 3, quantity: 3 };
  expect((await host.api('prescriptions.save', { visitId: next.value.visitId, items: [item] }, doctor)).ok).toBe(true);
  expect((await host.api('consultations.complete', { visitId: next.value.visitId }, doctor)).ok).toBe(true);
  return admin;
}

test("the pharmacist dispenses today's prescription by keyboard with a scanned batch, bills it and prints the H1 register", async ({ page, host }) => {
  // The clinic, the staff, a purchase and a consultation are arranged first; then five screens.
  test.setTimeout(180_000);
  await prescribedToday(host);
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(host.url);
  await logIn(page, 'pooja', 'pooja-pass-1');
  await expect(page.getByTestId('current-user')).toHaveText('Pooja Kulkarni');
  await page.keyboard.press('F11');
  await expect(page.getByRole('heading', { name: 'Pharmacy' })).toBeVisible();

  // Today's prescription is waiting; typing filters and Enter opens it.
  const waiting = page.getByRole('region', { name: 'Prescriptions waiting' });
  await expect(waiting.getByTestId('waiting')).toContainText('Farida Khan');
  await expect(waiting.getByLabel('Filter prescriptions')).toBeFocused();
  await page.keyboard.type('farida');
  await page.keyboard.press('Enter');

  // The FEFO proposal is A0 (first to expire); the scanner types A1's barcode and Enter into the focused Scan box.
  const panel = page.getByRole('region', { name: 'Dispense', exact: true });
  await expect(panel.getByLabel('Batch for line 1')).toHaveValue(/First expiry first: A0/);
  await expect(panel.getByTestId('scan-box')).toBeFocused();
  await page.keyboard.type('8901234567890');
  await page.keyboard.press('Enter');
  await expect(panel.getByRole('status')).toHaveText('Azithral (Azithromycin 500 mg tablet), batch A1 (exp 2099-06-30) selected for line 1.');
  await expect(panel.getByLabel('Batch for line 1')).toHaveValue(/^A1 · exp 2099-06-30/);
  // H1: the register's address is shown before saving.
  await expect(panel).toContainText('Address for the register: 4 Camp Road, Pune, 411001');
  // An unknown code is named, and the selection stays.
  await page.keyboard.type('0000111');
  await page.keyboard.press('Enter');
  await expect(panel.getByRole('status')).toHaveText('Nothing in stock has the barcode 0000111.');
  await page.screenshot({ path: `${SHOTS}/1-dispense-scanned.png`, fullPage: true });

  await page.keyboard.press('Control+Enter');
  const dispensed = page.getByRole('region', { name: 'Dispensed' });
  await expect(dispensed.getByTestId('sale')).toContainText('Azithral 500 mg (A1, exp 2099-06-30)');
  await expect(dispensed.getByTestId('sale')).toContainText('3 given');
  await expect(waiting.getByTestId('waiting')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/2-dispensed.png`, fullPage: true });

  // Bill: the billing screen opens on the visit with the dispensed batch at its MRP; Ctrl+Enter issues it.
  await dispensed.getByRole('button', { name: 'Bill' }).click();
  await expect(page.getByRole('heading', { name: 'Billing' })).toBeVisible();
  await expect(page.getByLabel('Line 2 description')).toHaveValue('Azithral 500 mg (A1, exp 2099-06-30)');
  await expect(page.getByTestId('bill-line')).toHaveCount(2);
  await expect(page.getByLabel('Line 2 rate')).toHaveValue('119.50');
  await expect(page.getByLabel('Line 2 GST')).toHaveValue('1200');
  await expect(page.getByTestId('bill-notes')).toContainText('Medicines as dispensed by the pharmacy');
  // ₹500 consultation + ₹119.50 (one pack of A1 at its MRP), rounded to the rupee.
  await expect(page.getByTestId('total-Gross')).toHaveText('₹619.50');
  await expect(page.getByTestId('total-Total')).toHaveText('₹620.00');
  await page.screenshot({ path: `${SHOTS}/3-bill.png`, fullPage: true });
  await page.getByLabel('Line 2 description').focus();
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('invoice-status')).toHaveText('issued');
  await page.screenshot({ path: `${SHOTS}/4-issued.png`, fullPage: true });

  // The H1 register: the row on screen, and the PDF the job made names the patient.
  await page.keyboard.press('F11');
  await page.getByRole('tab', { name: 'H1 register' }).click();
  const h1 = page.getByRole('region', { name: 'H1 register' });
  await expect(h1.getByTestId('h1-row')).toContainText('Farida Khan');
  await expect(h1.getByTestId('h1-row')).toContainText('Anil Mehta');
  await page.screenshot({ path: `${SHOTS}/5-h1.png`, fullPage: true });
  const download = page.waitForEvent('download');
  await h1.getByRole('button', { name: 'Print PDF' }).click();
  const file = `${SHOTS}/h1-register.pdf`;
  await (await download).saveAs(file);
  const text = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).stdout.replace(/[ \t]+/g, ' ');
  expect(text).toContain('Schedule H1 Register');
  expect(text).toContain('Farida Khan');
  expect(text).toContain('4 Camp Road, Pune, 411001');
  expect(text).toContain('A1');

  // Over the counter a scheduled drug (the first Azithral the search offers) is refused, naming it.
  await page.getByRole('tab', { name: 'Over the counter' }).click();
  const otc = page.getByRole('region', { name: 'Over the counter' });
  await otc.getByLabel('Add medicine').fill('azithral');
  await expect(page.getByRole('option').first()).toContainText('AZITHROMYCIN');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+Enter');
  await expect(otc).toContainText(/Azithromycin [^:]+ is a Schedule H1? drug: it is dispensed only against a prescription\./);
  await page.screenshot({ path: `${SHOTS}/6-otc-refused.png`, fullPage: true });

  // Returns: one tablet comes back into A1; Enter takes it back.
  await page.getByRole('tab', { name: 'Returns' }).click();
  const today = page.getByRole('region', { name: 'Dispensed today' });
  await today.getByRole('button', { name: /^Return Azithral/ }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByLabel(/Units back \(at most 3\)/)).toBeFocused();
  await page.keyboard.type('1');
  await dialog.getByLabel('Reason').fill('allergic rash');
  await page.keyboard.press('Enter');
  await expect(today.getByTestId('sale')).toContainText('3 given, 1 back');
  await page.screenshot({ path: `${SHOTS}/7-returned.png`, fullPage: true });
});
