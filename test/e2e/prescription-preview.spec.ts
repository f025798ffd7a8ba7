import { expect, logIn, setUpClinic, test, type Host } from './fixtures';

/**
 * The doctor looks at the prescription before printing it, by keyboard: Alt+V shows the PREVIEW
 * inside the app (nothing locked), Escape closes it, Alt+V again and Enter prints.
 */
async function seeded(host: Host): Promise<{ visitId: string; doctor: string }> {
  const admin = await setUpClinic(host);
  const dr = (await host.api('staff.create', { username: 'drmehta', fullName: 'Anil Mehta', password: 'mehta-pass-1', roles: ['doctor'] }, admin)).value;
  const profile = await host.api(
    'doctors.upsert',
    { userId: dr.id, specialization: 'General Medicine', qualifications: 'MBBS, MD (Medicine)', registrationCouncil: 'MMC', registrationNumber: 'MMC-2011-12345', consultationFeePaise: 50000, followUpFeePaise: 20000, followUpWindowDays: 7, schedule: [] },
    admin,
  );
  expect(profile.ok).toBe(true);
  const reg = await host.api(
    'patients.register',
    {
      patient: {
        givenName: 'Sunita',
        familyName: 'Deshmukh',
        gender: 'female',
        ageYears: 42,
        mobile: '9822055555',
        addressLine1: '14 Shree Ganesh Apartments, Prabhat Road',
        city: 'Pune',
        state: 'Maharashtra',
        pincode: '411004',
        allergies: [{ type: 'medication', substance: 'Penicillin', severity: 'severe' }],
      },
    },
    admin,
  );
  const visit = await host.api('queue.checkIn', { patientId: reg.value.patient.id, doctorId: dr.id }, admin);
  const doctor = (await host.api('auth.login', { username: 'drmehta', password: 'mehta-pass-1' })).value.token as string;
  return { visitId: visit.value.visitId as string, doctor };
}

test('Alt+V previews the prescription in the app without locking it; Escape closes; Enter in the preview prints', async ({ page, host }) => {
  // Two PDFs drawn by pdf.js in the page and one print: slow on a busy machine.
  test.setTimeout(180_000);
  const { visitId, doctor } = await seeded(host);
  await page.goto(host.url);
  await logIn(page, 'drmehta', 'mehta-pass-1');
  await page.getByRole('link', { name: /Doctor/ }).click();
  await expect(page.getByRole('region', { name: 'My queue' }).getByText('Sunita Deshmukh')).toBeVisible();
  await page.keyboard.press('Alt+x');
  await expect(page.getByLabel('Patient banner')).toContainText('Penicillin (severe)');

  // The visit's record, as the doctor would have typed it: vitals and one drug.
  const note = await host.api('consultations.save', { visitId, note: { vitals: { bpSystolic: 130, bpDiastolic: 84, pulse: 88 } } }, doctor);
  expect(note.ok).toBe(true);
  const item = { drugId: null, genericName: 'Paracetamol', brand: null, form: 'tablet', strength: '500 mg', route: 'oral', dose: '1 tab', frequency: '1-0-1', timing: 'after-food', durationDays: 5, quantity: null, instructions: null, instructionsHi: null, acknowledged: [] };
  expect((await host.api('prescriptions.save', { visitId, items: [item] }, doctor)).ok).toBe(true);

  await page.getByRole('tab', { name: 'Prescription' }).click();
  await expect(page.getByTestId('rx-item')).toHaveCount(1);
  await page.getByLabel('Printer').selectOption('PDF');
  // Preview is first in the row of print buttons.
  const buttons = page.getByRole('region', { name: 'Print prescription' }).getByRole('button');
  await expect(buttons.first()).toHaveAccessibleName('Preview Alt+V');

  await page.getByPlaceholder(/Generic or brand name/).focus();
  await page.keyboard.press('Alt+v');
  const viewer = page.getByRole('dialog', { name: 'Preview of prescription A/RX/000001' });
  await expect(viewer).toBeVisible({ timeout: 30_000 });
  await expect(viewer.getByTestId('preview-pages')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await expect(viewer.getByRole('img', { name: 'Page 1' })).toBeVisible();
  await expect(viewer.getByRole('button', { name: 'Print' })).toBeFocused();
  await page.screenshot({ path: 'test-results/prescription-preview.png' });

  // Looking locks nothing.
  await page.keyboard.press('Escape');
  await expect(viewer).toBeHidden();
  expect((await host.api('prescriptions.get', { visitId }, doctor)).value.prescription).toMatchObject({ status: 'draft', printCount: 0 });
  await expect(page.getByText('Printed · locked')).toHaveCount(0);

  // Again, and Enter prints: the real one, not a DUPLICATE.
  await page.keyboard.press('Alt+v');
  await expect(viewer.getByTestId('preview-pages')).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await page.keyboard.press('Enter');
  await expect(viewer).toBeHidden();
  await expect(page.getByTestId('print-result')).toHaveText('Sent to PDF', { timeout: 30_000 });
  await expect(page.getByText('Printed · locked')).toBeVisible();
  expect((await host.api('prescriptions.get', { visitId }, doctor)).value.prescription).toMatchObject({ status: 'printed', printCount: 1 });
});
