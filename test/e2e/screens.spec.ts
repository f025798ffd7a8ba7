import { ADMIN, expect, logIn, setUpClinic, test } from './fixtures';

// A common clinic monitor; the defects these tests guard against showed at this size.
test.use({ viewport: { width: 1366, height: 768 } });

test('the audit log reads as changed fields, hides bookkeeping and secrets, fits the screen, and filters by user', async ({ page, host }) => {
  const admin = await setUpClinic(host);
  await host.api('staff.create', { username: 'rita', fullName: 'Rita Dsouza', password: 'rita-pass-1', roles: ['receptionist'] }, admin);
  const rita = (await host.api('auth.login', { username: 'rita', password: 'rita-pass-1' })).value.token;
  const reg = await host.api(
    'patients.register',
    {
      patient: {
        givenName: 'Farhan',
        familyName: 'Shaikh',
        gender: 'male',
        ageYears: 42,
        mobile: '9822055555',
        city: 'Pune',
        addressLine1: 'Flat 1203, Building C-14, Sunshine Heights Co-operative Housing Society, Near Old Railway Crossing',
      },
    },
    rita,
  );
  expect(reg.ok).toBe(true);
  await host.api('patients.update', { id: reg.value.patient.id, patch: { city: 'Nashik' } }, rita);

  await page.goto(host.url);
  await logIn(page, ADMIN.username, ADMIN.password);
  await page.getByRole('link', { name: /Audit log/ }).click();
  const table = page.getByRole('table', { name: 'Audit entries' });
  const registered = table.getByRole('row').filter({ hasText: 'patients.register' });
  await expect(registered).toContainText('Given name: Farhan');
  await expect(table.getByRole('row').filter({ hasText: 'patients.update' })).toContainText('City: Pune → Nashik');
  // The time is one short line: "21 Nov, 08:47:51".
  await expect(registered.getByRole('cell').first()).toHaveText(/^\d{1,2} [A-Z][a-z]{2}( \d{4})?, \d{2}:\d{2}:\d{2}$/);

  // Everything, expanded, still shows no bookkeeping column and no password hash.
  // Each click turns its button into "Show less", so keep taking the first one left.
  const more = table.getByRole('button', { name: /^Show all/ });
  while ((await more.count()) > 0) await more.first().click();
  await expect(registered).toContainText('Flat 1203, Building C-14, Sunshine Heights');
  const text = await table.innerText();
  expect(text).not.toMatch(/hlc|device|created|updated|scrypt|redacted|password/i);
  expect(text).not.toContain(reg.value.patient.id);
  // Nothing runs off the right of the page.
  // (Expressions as strings: the tests are type-checked without the DOM library.)
  expect(await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')).toBeLessThanOrEqual(0);

  // Filtered by user: only Rita's entries, her failed login among them with its outcome in full.
  await host.api('auth.login', { username: 'rita', password: 'not her password' });
  await page.getByRole('combobox', { name: 'User' }).fill('rita');
  await expect(table.getByRole('row').filter({ hasText: 'auth.login' }).first()).toContainText('Failed');
  await expect(table.getByRole('row').filter({ hasNotText: /rita|Who/ })).toHaveCount(0);
});

test('a workstation that never enrolled says "Local only" with no count, and explains it', async ({ page, host }) => {
  await setUpClinic(host);
  await page.goto(host.url);
  await logIn(page, ADMIN.username, ADMIN.password);
  const status = page.getByTestId('sync-status');
  await expect(status).toHaveText('Local only');
  await status.hover();
  await expect(page.getByRole('tooltip')).toContainText('keeps its data on this computer');
});

test('the vitals inputs line up at 1366 px, keep their full names, and Hindi is drawn with the bundled font', async ({ page, host }) => {
  const admin = await setUpClinic(host);
  const dr = (await host.api('staff.create', { username: 'drmehta', fullName: 'Anil Mehta', password: 'mehta-pass-1', roles: ['doctor'] }, admin)).value;
  await host.api(
    'doctors.upsert',
    { userId: dr.id, specialization: 'General Medicine', qualifications: 'MBBS', registrationCouncil: 'MMC', registrationNumber: 'MMC-2011-12345', consultationFeePaise: 50000, followUpFeePaise: 20000, followUpWindowDays: 7, schedule: [] },
    admin,
  );
  const reg = await host.api('patients.register', { patient: { givenName: 'Sunita', familyName: 'Deshmukh', gender: 'female', ageYears: 42 } }, admin);
  await host.api('queue.checkIn', { patientId: reg.value.patient.id, doctorId: dr.id }, admin);

  await page.goto(host.url);
  await logIn(page, 'drmehta', 'mehta-pass-1');
  await page.getByRole('link', { name: /Doctor/ }).click();
  await expect(page.getByRole('region', { name: 'My queue' }).getByText('Sunita Deshmukh')).toBeVisible();
  await page.keyboard.press('Alt+x');

  const firstRow = ['BP systolic (mmHg)', 'BP diastolic (mmHg)', 'Pulse (/min)', 'Temperature (°F)', 'SpO2 (%)', 'Respiratory rate (/min)'];
  await expect(page.getByLabel(firstRow[0]!)).toBeVisible();
  const tops = await Promise.all(firstRow.map(async (name) => (await page.getByLabel(name, { exact: true }).boundingBox())!.y));
  expect(new Set(tops).size, `input tops ${tops.join(', ')}`).toBe(1);

  // The Devanagari web font is loaded (this machine has no Devanagari system font).
  await page.getByRole('tab', { name: 'Prescription' }).click();
  await expect(page.getByText('English + हिंदी')).toBeVisible();
  expect(await page.evaluate<boolean>(`document.fonts.check("16px 'Clinic Devanagari'", 'हिंदी')`)).toBe(true);
  const loaded = await page.evaluate<number>(`[...document.fonts].filter((f) => f.family.includes('Clinic Devanagari') && f.status === 'loaded').length`);
  expect(loaded).toBeGreaterThan(0);
});
