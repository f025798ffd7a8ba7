import type { Page } from '@playwright/test';
import { expect, logIn, setUpClinic, test, type Host } from './fixtures';

const RECEPTIONIST = { username: 'rita', fullName: 'Rita Dsouza', password: 'rita-pass-1' };

function istDate(offsetDays: number): string {
  const d = new Date(Date.now() + offsetDays * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(d);
}

/** A clinic with one doctor sitting 09:00-21:00 every day, one booking per 15-minute slot. */
async function clinicWithDoctor(host: Host) {
  const admin = await setUpClinic(host);
  await host.api('staff.create', { ...RECEPTIONIST, roles: ['receptionist'] }, admin);
  const dr = (await host.api('staff.create', { username: 'drmehta', fullName: 'Dr Anil Mehta', password: 'password-1', roles: ['doctor'] }, admin)).value;
  const schedule = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start: '09:00', end: '21:00', slotMinutes: 15, maxPerSlot: 1, mode: 'in-person' }));
  const saved = await host.api(
    'doctors.upsert',
    {
      userId: dr.id,
      specialization: 'General Medicine',
      qualifications: 'MBBS, MD',
      registrationCouncil: 'Maharashtra Medical Council',
      registrationNumber: 'MMC-2011-12345',
      consultationFeePaise: 50000,
      followUpFeePaise: 20000,
      followUpWindowDays: 7,
      schedule,
    },
    admin,
  );
  expect(saved.ok).toBe(true);
  return { admin, doctorId: dr.id as string };
}

async function openAsReceptionist(page: Page, host: Host) {
  await page.goto(host.url);
  await logIn(page, RECEPTIONIST.username, RECEPTIONIST.password);
  await expect(page.getByRole('heading', { name: 'Reception' })).toBeVisible();
}

test('a receptionist registers a walk-in by keyboard, is warned of a phonetic duplicate, finds by last 4 digits, books, and checks in live', async ({
  page,
  host,
  browser,
}) => {
  const { admin } = await clinicWithDoctor(host);
  // Someone already registered Lakshmi Iyer; another patient fills the first slot tomorrow.
  const other = (await host.api('patients.register', { patient: { givenName: 'Suresh', familyName: 'Patil', gender: 'male', ageYears: 60, mobile: '9822011111' } }, admin)).value.patient;
  await openAsReceptionist(page, host);

  // A second window on the queue board, which must update without a reload.
  const board = await (await browser.newContext()).newPage();
  await openAsReceptionist(board, host);
  await expect(board.getByText('Nobody checked in yet today.')).toBeVisible();

  // 1. Register a walk-in with the keyboard only.
  await page.keyboard.press('Alt+n');
  await expect(page.getByRole('form', { name: 'Register patient' })).toBeVisible();
  // The form opens with the cursor in the first field, ready for typing.
  await expect(page.getByRole('textbox', { name: 'Given name' })).toBeFocused();
  await page.keyboard.type('Lakshmi');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Iyer');
  await page.keyboard.press('Tab');
  await page.keyboard.press('f'); // Gender: Female
  await page.keyboard.press('Tab');
  await page.keyboard.type('1971-03-08');
  await page.keyboard.press('Tab'); // age (not needed)
  await page.keyboard.press('Tab');
  await page.keyboard.type('98450 12345');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: 'Patient summary' }).getByRole('heading', { name: 'Lakshmi Iyer' })).toBeVisible();
  await expect(page.getByText(/Registered Lakshmi Iyer as A-0000\d\d/)).toBeVisible();

  // 2. A phonetic variant with the same mobile is caught before saving.
  await page.keyboard.press('Alt+n');
  await expect(page.getByRole('textbox', { name: 'Given name' })).toBeFocused();
  await page.keyboard.type('Laxmi');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Iyer');
  await page.keyboard.press('Tab');
  await page.keyboard.press('f');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.type('55');
  await page.keyboard.press('Tab');
  await page.keyboard.type('9845012345');
  await page.keyboard.press('Enter');
  const warning = page.getByRole('alert').filter({ hasText: 'This patient may already be registered' });
  await expect(warning).toBeVisible();
  await expect(warning).toContainText('Lakshmi Iyer');
  await expect(warning).toContainText('Same mobile and a similar name');
  await page.getByRole('button', { name: 'Cancel' }).click();

  // 3. Find her by the last four digits of her mobile.
  await page.getByLabel('Find patient').fill('2345');
  const results = page.getByRole('listbox', { name: 'Search results' });
  await expect(results.getByRole('option')).toHaveCount(1);
  await expect(results).toContainText('Lakshmi Iyer');
  await page.getByLabel('Find patient').press('Enter');
  await expect(page.getByRole('region', { name: 'Patient summary' })).toContainText('Lakshmi Iyer');

  // 4. Book tomorrow's 09:15 slot (09:00 is taken by the other patient and is full).
  const tomorrow = istDate(1);
  expect((await host.api('appointments.book', { patientId: other.id, doctorId: (await host.api('doctors.list', {}, admin)).value[0].userId, date: tomorrow, start: '09:00' }, admin)).ok).toBe(true);
  await page.getByRole('button', { name: /Book appointment/ }).click();
  await page.getByLabel('Date').fill(tomorrow);
  await page.getByRole('button', { name: 'Slot 09:00, full' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'full' })).toContainText('is full (1 of 1 booked)');
  await page.getByRole('button', { name: 'Slot 09:15, 1 free' }).click();
  await expect(page.getByRole('table', { name: 'Booked appointments' })).toContainText('Lakshmi Iyer');
  await expect(page.getByRole('button', { name: 'Slot 09:15, full' })).toBeVisible();

  // Cancelling asks why, and frees the place.
  const booked = page.getByRole('table', { name: 'Booked appointments' }).getByRole('row').filter({ hasText: 'Lakshmi Iyer' });
  await booked.getByRole('button', { name: 'Cancel' }).click();
  await page.getByLabel(/Why is Lakshmi Iyer's 09:15 appointment cancelled/).fill('Patient will come as a walk-in today');
  await page.getByRole('button', { name: 'Cancel appointment' }).click();
  await expect(booked).toContainText('cancelled');
  await expect(page.getByRole('button', { name: 'Slot 09:15, 1 free' })).toBeVisible();

  // 5. Check her in for today as a walk-in: token 1, and the other window shows it at once.
  await page.keyboard.press('Alt+c');
  await expect(page.getByTestId('slip-token')).toHaveText('1');
  await page.getByRole('button', { name: 'Close' }).click();
  const boardQueue = board.getByRole('region', { name: 'Queue of Dr Anil Mehta' });
  await expect(boardQueue.getByLabel('Token 1')).toBeVisible();
  await expect(boardQueue).toContainText('Lakshmi Iyer');
});
