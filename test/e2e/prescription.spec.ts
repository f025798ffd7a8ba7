import { expect, logIn, setUpClinic, test, type Host } from './fixtures';

/** A doctor with a full registration, and a penicillin-allergic patient waiting for them. */
async function seeded(host: Host) {
  const admin = await setUpClinic(host);
  const dr = (await host.api('staff.create', { username: 'drmehta', fullName: 'Anil Mehta', password: 'mehta-pass-1', roles: ['doctor'] }, admin)).value;
  const saved = await host.api(
    'doctors.upsert',
    { userId: dr.id, specialization: 'General Medicine', qualifications: 'MBBS, MD (Medicine)', registrationCouncil: 'MMC', registrationNumber: 'MMC-2011-12345', consultationFeePaise: 50000, followUpFeePaise: 20000, followUpWindowDays: 7, schedule: [] },
    admin,
  );
  expect(saved.ok).toBe(true);
  const reg = await host.api(
    'patients.register',
    { patient: { givenName: 'Sunita', familyName: 'Deshmukh', gender: 'female', ageYears: 42, mobile: '9822055555', allergies: [{ type: 'medication', substance: 'Penicillin', severity: 'severe' }] } },
    admin,
  );
  await host.api('queue.checkIn', { patientId: reg.value.patient.id, doctorId: dr.id }, admin);
}

test('a doctor writes three drugs by keyboard in 1-0-1 shorthand, is warned about amoxicillin for a penicillin allergy, prints, and the prescription is then locked', async ({ page, host }) => {
  await seeded(host);
  await page.goto(host.url);
  await logIn(page, 'drmehta', 'mehta-pass-1');
  await page.getByRole('link', { name: /Doctor/ }).click();
  await expect(page.getByRole('region', { name: 'My queue' }).getByText('Sunita Deshmukh')).toBeVisible();
  await page.keyboard.press('Alt+x');
  await expect(page.getByLabel('Patient banner')).toContainText('Penicillin (severe)');
  await page.getByRole('tab', { name: 'Prescription' }).click();

  const items = page.getByTestId('rx-item');
  // The tab opens with the drug box focused, ready for typing.
  const drugBox = page.getByPlaceholder(/Generic or brand name/);
  await expect(drugBox).toBeFocused();
  const addByKeyboard = async (n: number, typed: string, shorthand: string, days: string) => {
    await page.keyboard.press('Alt+d');
    await expect(drugBox).toBeFocused();
    await page.keyboard.type(typed);
    await expect(page.getByRole('listbox', { name: 'Drug matches' }).getByRole('option').first()).toBeVisible();
    await page.keyboard.press('Enter');
    await expect(items).toHaveCount(n);
    // Focus lands on the new item's dose; Tab moves to the frequency.
    await expect(page.getByLabel(`Item ${n} dose`)).toBeFocused();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+a');
    await page.keyboard.type(shorthand);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+a');
    await page.keyboard.type(days);
  };
  await addByKeyboard(1, 'paracetamol 500', '1-0-1', '5');
  await addByKeyboard(2, 'cetirizine', '0-0-1', '5');
  await addByKeyboard(3, 'pantoprazole', '1-0-0', '7');
  await expect(items).toHaveCount(3);
  await expect(items.nth(0)).toContainText('PARACETAMOL');
  await expect(items.nth(0)).toContainText('morning and night');
  await expect(page.getByLabel('Item 1 frequency')).toHaveValue('1-0-1');

  // Amoxicillin is a penicillin: the doctor is stopped and must decide.
  await page.keyboard.press('Alt+d');
  await page.keyboard.type('amoxicillin');
  await expect(page.getByRole('listbox', { name: 'Drug matches' }).getByRole('option').first()).toBeVisible();
  await page.keyboard.press('Enter');
  const warning = page.getByRole('dialog', { name: 'Check before adding' });
  await expect(warning).toContainText('allergic to Penicillin');
  await expect(warning).toContainText('is a penicillin');
  await warning.getByRole('button', { name: "Don't add" }).click();
  await expect(items).toHaveCount(3);

  await expect(page.getByTestId('rx-save-state')).toHaveText(/^Saved · A\/RX\/000001$/);
  await page.getByLabel('Printer').selectOption('PDF');
  await page.getByRole('button', { name: 'Print', exact: true }).click();
  await expect(page.getByTestId('print-result')).toHaveText('Sent to PDF', { timeout: 30_000 });

  // Printed means locked: nothing can be typed into it, and nothing added.
  await expect(page.getByText('Printed · locked')).toBeVisible();
  await expect(page.getByLabel('Item 1 frequency')).toHaveAttribute('readonly', '');
  await expect(page.getByRole('region', { name: 'Add drug' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Reprint (DUPLICATE)' })).toBeVisible();
});
