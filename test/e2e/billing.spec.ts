import { spawnSync } from 'node:child_process';
import { expect, logIn, setUpClinic, test, type Host } from './fixtures';

/** Paracetamol 500 mg tablet from the starter formulary, which has no MRPs (brands and packs differ by clinic). */
const STARTER_PARACETAMOL = {
  drugId: '00000000-0000-7000-9000-000000000001',
  genericName: 'Paracetamol',
  form: 'tablet',
  strength: '500 mg',
  route: 'oral',
  dose: '1 tab',
  // 1 tablet morning and night for 5 days: the 10 the service works out (a quantity it can work out replaces the one sent).
  frequency: '1-0-1',
  durationDays: 5,
  quantity: 10,
};

/** A visit the doctor has completed today, for a doctor whose fee is ₹500; returns the admin's token and the patient. */
async function completedVisit(host: Host, prescribed: object[] = []): Promise<{ admin: string; patientId: string }> {
  const admin = await setUpClinic(host);
  await host.api('staff.create', { username: 'kiran', fullName: 'Kiran Rao', password: 'kiran-pass-1', roles: ['cashier'] }, admin);
  const dr = (await host.api('staff.create', { username: 'drmehta', fullName: 'Anil Mehta', password: 'mehta-pass-1', roles: ['doctor'] }, admin)).value;
  await host.api(
    'doctors.upsert',
    { userId: dr.id, specialization: 'General Medicine', qualifications: 'MBBS, MD', registrationCouncil: 'MMC', registrationNumber: 'MMC-2011-12345', consultationFeePaise: 50000, followUpFeePaise: 20000, followUpWindowDays: 7, schedule: [] },
    admin,
  );
  const reg = await host.api('patients.register', { patient: { givenName: 'Ramesh', familyName: 'Kulkarni', gender: 'male', ageYears: 58, mobile: '9823012345' } }, admin);
  await host.api('queue.checkIn', { patientId: reg.value.patient.id, doctorId: dr.id }, admin);
  const doctor = (await host.api('auth.login', { username: 'drmehta', password: 'mehta-pass-1' })).value.token;
  const next = await host.api('queue.callNext', {}, doctor);
  await host.api('consultations.save', { visitId: next.value.visitId, note: { chiefComplaints: ['Fever for 3 days'], diagnoses: [{ code: 'R50.9', title: 'Fever, unspecified' }] } }, doctor);
  if (prescribed.length > 0) expect((await host.api('prescriptions.save', { visitId: next.value.visitId, items: prescribed }, doctor)).ok).toBe(true);
  expect((await host.api('consultations.complete', { visitId: next.value.visitId }, doctor)).ok).toBe(true);
  return { admin, patientId: reg.value.patient.id as string };
}

test('the cashier bills a completed visit, takes cash + UPI, prints the receipt and the day-end totals match', async ({ page, host }) => {
  const { admin, patientId } = await completedVisit(host);
  // The patient left ₹1,000 in cash as an advance earlier in the day.
  expect((await host.api('billing.recordPayment', { patientId, parts: [{ mode: 'cash', amountPaise: 100_000 }] }, admin)).ok).toBe(true);
  await page.goto(host.url);
  await logIn(page, 'kiran', 'kiran-pass-1');
  await page.getByRole('link', { name: /Billing/ }).click();

  const toBill = page.getByRole('region', { name: 'To bill' });
  await expect(toBill).toContainText('Ramesh Kulkarni');
  await toBill.getByRole('button', { name: 'Bill' }).click();
  await expect(page.getByTestId('bill-line')).toHaveCount(1);
  await expect(page.getByLabel('Line 1 description')).toHaveValue(/Consultation/);
  await expect(page.getByTestId('total-Total')).toHaveText('₹500.00');
  await page.getByRole('button', { name: 'Issue bill' }).click();
  await expect(page.getByTestId('invoice-status')).toHaveText('issued');

  // Split: ₹200 in cash, ₹300 by UPI with its 12-digit UTR.
  await page.getByLabel('Part 1 amount').fill('200');
  await page.getByRole('button', { name: '+ Split: add another mode' }).click();
  await page.getByLabel('Part 2 amount').fill('300');
  await page.getByLabel('Part 2 reference').fill('4012 3456 7890'.replace(/ /g, ''));
  await page.getByRole('button', { name: 'Record payment' }).click();
  await expect(page.getByTestId('invoice-status')).toHaveText('paid');
  await expect(page.getByTestId('balance')).toHaveText('Paid in full');

  await page.getByRole('button', { name: 'Receipt' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Receipt' });
  await dialog.getByLabel('Printer').selectOption('PDF');
  await dialog.getByRole('button', { name: 'Print' }).click();
  await expect(dialog.getByTestId('document-status')).toHaveText(/^Sent to PDF/, { timeout: 30_000 });
  await page.keyboard.press('Escape');

  // ₹400 of the unused advance goes back in cash; more than is left is refused.
  const advance = page.getByRole('region', { name: 'Advance' });
  await expect(advance.getByTestId('advance-balance')).toHaveText('₹1,000.00');
  await advance.getByRole('button', { name: 'Refund advance' }).click();
  const refund = page.getByRole('dialog', { name: 'Refund advance: Ramesh Kulkarni' });
  await refund.getByLabel('Amount ₹').fill('1000.01');
  await refund.getByLabel('Reason').fill('Treatment postponed');
  await refund.getByRole('button', { name: 'Refund', exact: true }).click();
  await expect(refund.getByRole('alert')).toContainText('Only ₹1,000.00 of Ramesh Kulkarni’s advance is unused');
  await refund.getByLabel('Amount ₹').fill('400');
  await refund.getByRole('button', { name: 'Refund', exact: true }).click();
  await expect(refund).toHaveCount(0);
  await expect(advance.getByTestId('advance-balance')).toHaveText('₹600.00');

  await page.getByRole('tab', { name: 'Day-end' }).click();
  // Cash: ₹200 on the bill + ₹1,000 advance - ₹400 refunded = ₹800 in the drawer.
  await page.getByLabel('₹100 ×').fill('8');
  await page.getByRole('button', { name: 'Show figures' }).click();
  const figures = page.getByRole('region', { name: 'Day-end figures' });
  await expect(figures.getByTestId('mode-cash')).toContainText('₹1,200.00');
  await expect(figures.getByTestId('mode-upi')).toContainText('₹300.00');
  await expect(figures.getByTestId('received-total')).toHaveText('₹1,500.00');
  await expect(figures.getByTestId('advances-refunded')).toHaveText('₹400.00');
  await expect(figures.getByTestId('cash-difference')).toContainText('difference ₹0.00');
  await expect(figures).toContainText('Anil Mehta: ₹500.00');
  await figures.getByRole('button', { name: 'Close the day on this workstation' }).click();
  const confirm = page.getByRole('dialog', { name: /on this workstation\?/ });
  await expect(confirm.getByTestId('close-difference')).toHaveText('cash tallies');
  await confirm.getByRole('button', { name: 'Close the day' }).click();
  await expect(figures).toContainText('closed by Kiran Rao');
});

test('a medicine without an MRP is priced on its line; the day-end PDF shows the cash as typed; a shortage closes only with a reason', async ({ page, host }) => {
  await completedVisit(host, [STARTER_PARACETAMOL]);
  await page.goto(host.url);
  await logIn(page, 'kiran', 'kiran-pass-1');
  await page.getByRole('link', { name: /Billing/ }).click();
  await page.getByRole('region', { name: 'To bill' }).getByRole('button', { name: 'Bill' }).click();
  await expect(page.getByTestId('bill-line')).toHaveCount(2);

  // The suggestion's note sits in the bill under its header row; nothing floats over the header.
  const header = page.getByRole('heading', { name: /Draft bill/ });
  const notes = page.getByTestId('bill-notes');
  await expect(notes).toContainText('PARACETAMOL 500 mg tablet: no MRP in the formulary; enter its price on line 2.');
  await expect(page.locator('.mantine-Notification-root')).toHaveCount(0);
  const h = (await header.boundingBox())!;
  const n = (await notes.boundingBox())!;
  expect(n.y).toBeGreaterThanOrEqual(h.y + h.height);

  // The line asks for its price; issuing without it is refused under the line.
  await expect(page.getByLabel('Line 2 rate')).toHaveValue('');
  await page.getByRole('button', { name: 'Issue bill' }).click();
  await expect(page.getByText('Enter the price of line 2 (PARACETAMOL 500 mg tablet)')).toBeVisible();
  await expect(page.getByTestId('invoice-status')).toHaveCount(0);
  await page.getByLabel('Line 2 rate').fill('2.20');
  await page.getByRole('button', { name: 'Issue bill' }).click();
  await expect(page.getByTestId('invoice-status')).toHaveText('issued');
  await page.getByLabel('Part 1 amount').fill('522');
  await page.getByRole('button', { name: 'Record payment' }).click();
  await expect(page.getByTestId('invoice-status')).toHaveText('paid');

  // Opening ₹2,000 + ₹522 cash = ₹2,522 expected; ₹2,400 counted: ₹122 short.
  await page.getByRole('tab', { name: 'Day-end' }).click();
  await page.getByLabel('Opening cash ₹').fill('2000');
  await page.getByLabel('₹500 ×').fill('4');
  await page.getByLabel('₹100 ×').fill('4');
  await page.getByRole('button', { name: 'Show figures' }).click();
  const figures = page.getByRole('region', { name: 'Day-end figures' });
  await expect(figures.getByTestId('cash-difference')).toHaveText('Opening ₹2,000.00 · cash expected ₹2,522.00 · counted ₹2,400.00 · difference -₹122.00');

  await figures.getByRole('button', { name: 'Day-end PDF' }).click();
  const dialog = page.getByRole('dialog', { name: 'Day-end report' });
  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Save as PDF' }).click();
  const text = spawnSync('pdftotext', ['-layout', await (await download).path(), '-'], { encoding: 'utf8' }).stdout.replace(/[ \t]+/g, ' ');
  expect(text).toContain('Opening cash ₹2,000.00');
  expect(text).toContain('Expected cash ₹2,522.00');
  expect(text).toContain('Counted cash 2,400.00');
  expect(text).toContain('SHORT by ₹122.00');
  await page.keyboard.press('Escape');

  await figures.getByRole('button', { name: 'Close the day on this workstation' }).click();
  const confirm = page.getByRole('dialog', { name: /on this workstation\?/ });
  await expect(confirm.getByTestId('close-expected')).toHaveText('₹2,522.00');
  await expect(confirm.getByTestId('close-counted')).toHaveText('₹2,400.00');
  await expect(confirm.getByTestId('close-difference')).toHaveText('SHORT by ₹122.00');
  await confirm.getByRole('button', { name: 'Close the day' }).click();
  await expect(confirm).toContainText('Reason for the difference is required (SHORT by ₹122.00)');
  await expect(figures).toContainText('not closed yet');
  await confirm.getByLabel('Reason for the difference').fill('₹122 change given from the till, not recorded');
  await confirm.getByRole('button', { name: 'Close the day' }).click();
  await expect(figures).toContainText('closed by Kiran Rao');
  await expect(figures.getByTestId('difference-reason')).toHaveText('Reason for the difference: ₹122 change given from the till, not recorded');
});
