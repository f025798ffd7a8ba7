import { expect, logIn, setUpClinic, test } from './fixtures';

test.use({ viewport: { width: 1366, height: 768 } });

test('the owner (accounts role) opens the reports and sees the day’s visit, money and diagnosis', async ({ page, host }) => {
  const admin = await setUpClinic(host);
  await host.api('staff.create', { username: 'owner', fullName: 'Vikram Shah', password: 'owner-pass-1', roles: ['accounts'] }, admin);
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
  await host.api('consultations.save', { visitId: next.value.visitId, note: { diagnoses: [{ code: 'R50.9', title: 'Fever, unspecified' }] } }, doctor);
  expect((await host.api('consultations.complete', { visitId: next.value.visitId }, doctor)).ok).toBe(true);
  const suggested = (await host.api('billing.suggest', { visitId: next.value.visitId }, admin)).value;
  const draft = await host.api('billing.createInvoice', { patientId: suggested.patientId, visitId: suggested.visitId, doctorId: suggested.doctorId, lines: suggested.lines }, admin);
  expect((await host.api('billing.issueInvoice', { invoiceId: draft.value.id }, admin)).ok).toBe(true);
  expect((await host.api('billing.recordPayment', { invoiceId: draft.value.id, parts: [{ mode: 'cash', amountPaise: 50000 }] }, admin)).ok).toBe(true);

  await page.goto(host.url);
  await logIn(page, 'owner', 'owner-pass-1');
  // Reports is the only screen of the accounts role: it opens there.
  await expect(page.getByRole('heading', { name: 'Reports' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveText([/Reports/]);
  await expect(page.getByRole('table', { name: /Visits by doctor/ })).toContainText('Anil Mehta1');
  await expect(page.getByRole('table', { name: /Money by mode/ })).toContainText('Cash1₹500.00₹0.00₹500.00');
  await expect(page.getByRole('table', { name: 'Top diagnoses (ICD-10)' })).toContainText('R50.9');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export Revenue as CSV' }).click();
  expect((await download).suggestedFilename()).toMatch(/^revenue-\d{4}-\d{2}-01-to-\d{4}-\d{2}-\d{2}\.csv$/);
});
