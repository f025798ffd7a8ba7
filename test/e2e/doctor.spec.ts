import { expect, logIn, setUpClinic, test, type Host } from './fixtures';

function istDate(offsetDays: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(new Date(Date.now() + offsetDays * 86_400_000));
}

function dayLabel(date: string): string {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString('en-IN', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** Reception has checked in one patient for Dr Mehta today. */
async function seededQueue(host: Host) {
  const admin = await setUpClinic(host);
  await host.api('staff.create', { username: 'rita', fullName: 'Rita Dsouza', password: 'rita-pass-1', roles: ['receptionist'] }, admin);
  const dr = (await host.api('staff.create', { username: 'drmehta', fullName: 'Dr Anil Mehta', password: 'mehta-pass-1', roles: ['doctor'] }, admin)).value;
  await host.api(
    'doctors.upsert',
    { userId: dr.id, specialization: 'General Medicine', qualifications: 'MBBS, MD', registrationCouncil: 'MMC', registrationNumber: 'MMC-2011-12345', consultationFeePaise: 50000, followUpFeePaise: 20000, followUpWindowDays: 7, schedule: [] },
    admin,
  );
  const rita = (await host.api('auth.login', { username: 'rita', password: 'rita-pass-1' })).value.token;
  const reg = await host.api(
    'patients.register',
    { patient: { givenName: 'Ramesh', familyName: 'Kulkarni', gender: 'male', ageYears: 58, mobile: '9823012345', allergies: [{ type: 'medication', substance: 'Penicillin', severity: 'severe' }], chronicConditions: ['Diabetes'] } },
    rita,
  );
  const checkIn = await host.api('queue.checkIn', { patientId: reg.value.patient.id, doctorId: dr.id }, rita);
  expect(checkIn.value.tokenLabel).toBe('1');
}

test('a doctor calls the next patient, records the visit with ICD-10 and a follow-up, completes it, and amends it later', async ({ page, host, browser }) => {
  await seededQueue(host);

  // Reception keeps its board open in another window.
  const desk = await (await browser.newContext()).newPage();
  await desk.goto(host.url);
  await logIn(desk, 'rita', 'rita-pass-1');
  const board = desk.getByRole('region', { name: 'Queue of Dr Anil Mehta' });
  await expect(board).toContainText('waiting');

  await page.goto(host.url);
  await logIn(page, 'drmehta', 'mehta-pass-1');
  await page.getByRole('link', { name: /Doctor/ }).click();
  await expect(page.getByRole('region', { name: 'My queue' }).getByText('Ramesh Kulkarni')).toBeVisible();
  await page.keyboard.press('Alt+x');

  // Allergies are always in view.
  await expect(page.getByLabel('Patient banner')).toContainText('Penicillin (severe)');
  await expect(board).toContainText('with-doctor');

  // An impossible BP marks that field alone, naming it; the rest of the note keeps saving.
  const systolic = page.getByLabel('BP systolic (mmHg)');
  await page.getByLabel('Pulse (/min)').fill('88');
  await systolic.fill('400');
  await expect(page.getByText('BP systolic of 400 mmHg is not possible (expected 40-300)')).toBeVisible();
  await expect(page.getByTestId('save-state')).toHaveText(/^Saved .*, except the field in red$/);
  // The clinic reads °F (the default): 101.2 is taken as °F and flagged as fever.
  await page.getByLabel('Temperature (°F)').fill('101.2');
  await expect(page.getByText('Temperature 101.2 °F is high')).toBeVisible();
  await systolic.fill('150');
  await page.getByLabel('BP diastolic (mmHg)').fill('95');
  await page.getByLabel('Weight (kg)').fill('82');
  await page.getByLabel('Height (cm)').fill('170');
  await expect(page.getByTestId('bmi')).toHaveText('28.4');
  await expect(page.getByTestId('save-state')).toHaveText(/^Saved /);

  await page.getByRole('combobox', { name: 'Chief complaints' }).fill('Headache');
  await page.getByRole('combobox', { name: 'Chief complaints' }).press('Enter');

  // Pick an ICD-10 code by typing part of its title.
  await page.getByLabel('Add diagnosis').fill('essential hyper');
  await expect(page.getByRole('listbox', { name: 'ICD-10 matches' })).toContainText('I10');
  await page.getByLabel('Add diagnosis').press('Enter');
  await expect(page.getByTestId('diagnosis')).toContainText('Essential (primary) hypertension');

  await page.getByLabel('Review in (days)').fill('7');
  const due = istDate(7);
  await expect(page.getByTestId('follow-up')).toHaveText(`Follow-up on ${dayLabel(due)}`);
  await expect(page.getByTestId('save-state')).toHaveText(/^Saved /);

  await page.getByRole('button', { name: /Complete visit/ }).click();
  await expect(page.getByText('Completed · locked')).toBeVisible();

  // Reception sees the patient done, and due for follow-up on the right day.
  await expect(board).toContainText('done');
  await desk.getByRole('tab', { name: 'Follow-ups' }).click();
  await desk.getByText('Next 7 days').click();
  const followUps = desk.getByRole('region', { name: 'Follow-ups' });
  await expect(followUps).toContainText('Ramesh Kulkarni');
  await expect(followUps).toContainText(dayLabel(due));

  // The locked note cannot be typed into; a change goes in as an amendment beside the original.
  await expect(page.getByLabel('Advice')).toHaveAttribute('readonly', '');
  await page.getByRole('button', { name: 'Amend' }).click();
  await page.getByLabel('Advice').fill('Low-salt diet, walk 30 minutes a day');
  await page.getByLabel('Reason for the amendment').fill('Advice was left out');
  await page.getByRole('button', { name: 'Save amendment' }).click();
  const amendments = page.getByRole('region', { name: 'Amendments' });
  await expect(amendments).toContainText('Dr Anil Mehta: Advice was left out');
  await expect(amendments).toContainText('advice: was (empty), now Low-salt diet, walk 30 minutes a day');
});
