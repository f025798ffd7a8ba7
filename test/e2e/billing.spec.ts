import { expect, logIn, setUpClinic, test, type Host } from './fixtures';

/** A visit the doctor has completed today, for a doctor whose fee is ₹500; returns the admin's token and the patient. */
async function completedVisit(host: Host): Promise<{ admin: string; patientId: string }> {
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
  await expect(figures).toContainText('closed by Kiran Rao');
});
