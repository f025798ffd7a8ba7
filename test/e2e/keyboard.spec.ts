import type { Page } from '@playwright/test';
import { expect, logIn, setUpClinic, test, type Host } from './fixtures';

// The screen the issue was played on: a common clinic laptop.
test.use({ viewport: { width: 1366, height: 768 } });
// Long flows on a shared machine.
test.setTimeout(150_000);

/** A doctor sitting all day every day (hour-long slots, one booking each) and a receptionist; returns tokens and ids. */
async function clinic(host: Host) {
  const admin = await setUpClinic(host);
  await host.api('staff.create', { username: 'rita', fullName: 'Rita Dsouza', password: 'rita-pass-1', roles: ['receptionist'] }, admin);
  const dr = (await host.api('staff.create', { username: 'drmehta', fullName: 'Dr Anil Mehta', password: 'mehta-pass-1', roles: ['doctor'] }, admin)).value;
  const schedule = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, start: '00:00', end: '23:59', slotMinutes: 10, maxPerSlot: 1, mode: 'in-person' }));
  const saved = await host.api(
    'doctors.upsert',
    { userId: dr.id, specialization: 'General Medicine', qualifications: 'MBBS, MD', registrationCouncil: 'MMC', registrationNumber: 'MMC-2011-12345', consultationFeePaise: 50000, followUpFeePaise: 20000, followUpWindowDays: 7, schedule },
    admin,
  );
  expect(saved.ok).toBe(true);
  return { admin, doctorId: dr.id as string };
}

/** window.print() is counted instead of opening the system dialog. */
async function countPrints(page: Page) {
  // A string: the tests' TypeScript knows no DOM (the same is done in print-page.spec.ts).
  await page.addInitScript('window.prints = 0; window.print = () => { window.prints += 1; };');
}
const printsOf = (page: Page) => page.evaluate<number>('window.prints');

test('reception by keyboard: Ctrl+K types into its search, Alt+B lands on the first free slot of today, Enter prints the token slip, the duplicate warning is in view', async ({ page, host }) => {
  const { admin, doctorId } = await clinic(host);
  const lakshmi = (await host.api('patients.register', { patient: { givenName: 'Lakshmi', familyName: 'Iyer', gender: 'female', ageYears: 55, mobile: '9845012345' } }, admin)).value.patient;
  const other = (await host.api('patients.register', { patient: { givenName: 'Suresh', familyName: 'Patil', gender: 'male', ageYears: 60, mobile: '9822011111' } }, admin)).value.patient;
  // Today's first free slot is taken by another patient: Alt+B must land on the one after it.
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(new Date());
  const slots = (await host.api('appointments.slots', { doctorId, date: today }, admin)).value.slots as { start: string; free: number; past: boolean }[];
  const open = slots.filter((s) => s.free > 0 && !s.past);
  // Ten-minute slots all day: only in the day's last half hour (IST) are there fewer than three.
  test.skip(open.length < 3, 'too late in the day (IST) for three free slots');
  expect((await host.api('appointments.book', { patientId: other.id, doctorId, date: today, start: open[0]!.start }, admin)).ok).toBe(true);

  await countPrints(page);
  await page.goto(host.url);
  await logIn(page, 'rita', 'rita-pass-1');
  await expect(page.getByRole('heading', { name: 'Reception' })).toBeVisible();

  // Ctrl+K: the cursor is in the search box (not on the dialog's ×), so typing finds her at once.
  await page.keyboard.press('Control+k');
  const finder = page.getByRole('dialog', { name: 'Find patient' });
  await expect(finder.getByRole('combobox', { name: /Find patient/ })).toBeFocused();
  await page.keyboard.type('Lakshmi');
  await expect(finder.getByRole('listbox', { name: 'Search results' }).getByRole('option')).toHaveCount(1);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: 'Patient summary' }).getByRole('heading', { name: lakshmi.name })).toBeVisible();

  // Alt+B: Appointments open on today's slots with the first free one focused; arrows move on.
  await page.keyboard.press('Alt+b');
  await expect(page.getByRole('button', { name: `Slot ${open[1]!.start}, 1 free` })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('button', { name: `Slot ${open[2]!.start}, 1 free` })).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('table', { name: 'Booked appointments' })).toContainText('Lakshmi Iyer');
  // The toast does not cover the header (the clinic's name and the user bar).
  const toast = page.getByText(`Booked ${open[1]!.start}`);
  await expect(toast).toBeVisible();
  const header = (await page.locator('header').boundingBox())!;
  expect((await toast.boundingBox())!.y).toBeGreaterThan(header.y + header.height);

  // Alt+C checks her in; the slip's Print is focused, so Enter prints it (and closes the slip).
  await page.keyboard.press('Alt+c');
  const slip = page.getByRole('dialog', { name: 'Checked in' });
  await expect(slip.getByTestId('slip-token')).toHaveText('1');
  await expect(slip.getByRole('button', { name: 'Print slip' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(slip).toHaveCount(0);
  expect(await printsOf(page)).toBe(1);

  // A phonetic duplicate: the warning shows in view at 1366×768, with "Open Lakshmi Iyer" focused.
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
  await expect(warning).toBeInViewport({ ratio: 0.99 });
  await expect(warning.getByRole('button', { name: 'Open Lakshmi Iyer' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: 'Patient summary' }).getByRole('heading', { name: 'Lakshmi Iyer' })).toBeVisible();
});

test("the doctor's tabs by Alt+1/2/3, the allergy warning's safe choice focused (Enter does not add), and the banner stays in view", async ({ page, host }) => {
  const { admin, doctorId } = await clinic(host);
  const reg = await host.api(
    'patients.register',
    { patient: { givenName: 'Sunita', familyName: 'Deshmukh', gender: 'female', ageYears: 42, mobile: '9822055555', allergies: [{ type: 'medication', substance: 'Penicillin', severity: 'severe' }] } },
    admin,
  );
  expect((await host.api('queue.checkIn', { patientId: reg.value.patient.id, doctorId }, admin)).ok).toBe(true);
  await page.goto(host.url);
  await logIn(page, 'drmehta', 'mehta-pass-1');
  await expect(page.getByRole('link', { name: /Doctor/ })).toBeVisible();
  await page.keyboard.press('F2');
  await expect(page.getByRole('region', { name: 'My queue' }).getByText('Sunita Deshmukh')).toBeVisible();

  // Alt+X: the note opens with the cursor in the first vital.
  await page.keyboard.press('Alt+x');
  await expect(page.getByLabel('BP systolic (mmHg)')).toBeFocused();
  await expect(page.getByRole('tab', { name: /Prescription.*Alt\+2/ })).toBeVisible();

  await page.keyboard.press('Alt+2');
  await expect(page.getByRole('tab', { name: /Prescription/ })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByPlaceholder(/Generic or brand name/)).toBeFocused();
  await page.keyboard.press('Alt+3');
  await expect(page.getByRole('tab', { name: /Timeline/ })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Alt+2');

  // Amoxicillin for a penicillin allergy: "Don't add" has the focus, so Enter adds nothing.
  await page.keyboard.type('amoxicillin');
  await expect(page.getByRole('listbox', { name: 'Drug matches' }).getByRole('option').first()).toBeVisible();
  await page.keyboard.press('Enter');
  const warning = page.getByRole('dialog', { name: 'Check before adding' });
  await expect(warning).toContainText('allergic to Penicillin');
  await expect(warning.getByRole('button', { name: "Don't add" })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(warning).toHaveCount(0);
  await expect(page.getByTestId('rx-item')).toHaveCount(0);

  // Back to the note (Alt+1, cursor in the vitals); scrolled to its end, the banner is still in view.
  await page.keyboard.press('Alt+1');
  await expect(page.getByLabel('BP systolic (mmHg)')).toBeFocused();
  await page.keyboard.press('Alt+i');
  await expect(page.getByRole('combobox', { name: /Add diagnosis/ })).toBeFocused();
  await page.evaluate('window.scrollTo(0, document.documentElement.scrollHeight)');
  expect(await page.evaluate<number>('window.scrollY')).toBeGreaterThan(100);
  await expect(page.getByLabel('Patient banner')).toBeInViewport({ ratio: 1 });
  await expect(page.getByLabel('Patient banner')).toContainText('Penicillin (severe)');
});
