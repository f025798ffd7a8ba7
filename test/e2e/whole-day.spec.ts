import type { Page } from '@playwright/test';
import { expect, setUpClinic, test, type Host } from './fixtures';

// The screen the issue was played on: a common clinic laptop.
test.use({ viewport: { width: 1366, height: 768 } });

/**
 * Every key pressed, per stage of the day. A chord (Alt+N, Ctrl+Enter) is one press; a typed
 * string counts its characters. Nothing here clicks: the whole day is played on the keyboard.
 */
class Keys {
  readonly counts: Record<string, number> = {};
  private stage = '';
  begin(stage: string) {
    this.stage = stage;
    this.counts[stage] ??= 0;
  }
  async press(page: Page, key: string) {
    this.counts[this.stage]! += 1;
    await page.keyboard.press(key);
  }
  async type(page: Page, text: string) {
    this.counts[this.stage]! += text.length;
    await page.keyboard.type(text);
  }
}

/**
 * The prescription's preview before printing: Alt+V shows the watermarked PREVIEW inside the app
 * (nothing locked yet), and Enter there prints the real one.
 */
async function previewPrescription(page: Page, keys: Keys): Promise<void> {
  await keys.press(page, 'Alt+v');
  const viewer = page.getByRole('dialog', { name: /^Preview of prescription / });
  await expect(viewer).toBeVisible({ timeout: 60_000 });
  await expect(viewer.getByRole('button', { name: 'Print' })).toBeFocused();
  await expect(page.getByText('Printed · locked')).toHaveCount(0);
}

/** A clinic with a receptionist, a doctor (₹500 a visit) and a cashier; prescriptions go to the PDF printer. */
async function clinic(host: Host) {
  const admin = await setUpClinic(host);
  await host.api('staff.create', { username: 'rita', fullName: 'Rita Dsouza', password: 'rita-pass-1', roles: ['receptionist'] }, admin);
  await host.api('staff.create', { username: 'kiran', fullName: 'Kiran Rao', password: 'kiran-pass-1', roles: ['cashier'] }, admin);
  const dr = (await host.api('staff.create', { username: 'drmehta', fullName: 'Dr Anil Mehta', password: 'mehta-pass-1', roles: ['doctor'] }, admin)).value;
  const saved = await host.api(
    'doctors.upsert',
    { userId: dr.id, specialization: 'General Medicine', qualifications: 'MBBS, MD', registrationCouncil: 'MMC', registrationNumber: 'MMC-2011-12345', consultationFeePaise: 50000, followUpFeePaise: 20000, followUpWindowDays: 7, schedule: [] },
    admin,
  );
  expect(saved.ok).toBe(true);
  expect((await host.api('settings.setPrint', { printer: 'PDF' }, admin)).ok).toBe(true);
}

/** Each desk is its own window, logged in by keyboard (the login screen opens in Username). */
async function desk(page: Page, host: Host, keys: Keys, username: string, password: string) {
  // The token slip's print goes to the system dialog; here it is only counted (a string: the
  // tests' TypeScript knows no DOM).
  await page.addInitScript('window.prints = 0; window.print = () => { window.prints += 1; };');
  await page.goto(host.url);
  await expect(page.getByLabel('Username')).toBeFocused();
  await keys.type(page, username);
  await keys.press(page, 'Tab');
  await keys.type(page, password);
  await keys.press(page, 'Enter');
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

test('the whole OPD day by keyboard: register, check in, call, vitals, diagnosis, three drugs, preview, print, bill and payment, counting keys', async ({ host, browser }) => {
  test.setTimeout(420_000);
  await clinic(host);
  const keys = new Keys();
  const reception = await (await browser.newContext()).newPage();
  const doctor = await (await browser.newContext()).newPage();
  const cashier = await (await browser.newContext()).newPage();
  keys.begin('logins');
  await desk(reception, host, keys, 'rita', 'rita-pass-1');
  await desk(doctor, host, keys, 'drmehta', 'mehta-pass-1');
  await desk(cashier, host, keys, 'kiran', 'kiran-pass-1');

  // Reception: a walk-in, registered with an age (no date of birth) and a mobile.
  keys.begin('register');
  await expect(reception.getByRole('heading', { name: 'Reception' })).toBeVisible();
  await keys.press(reception, 'Alt+n');
  await expect(reception.getByRole('textbox', { name: 'Given name' })).toBeFocused();
  await keys.type(reception, 'Meena');
  await keys.press(reception, 'Tab');
  await keys.type(reception, 'Joshi');
  await keys.press(reception, 'Tab');
  await keys.press(reception, 'f');
  await keys.press(reception, 'Tab');
  await keys.press(reception, 'Tab');
  await keys.type(reception, '45');
  await keys.press(reception, 'Tab');
  await keys.type(reception, '9876543210');
  await keys.press(reception, 'Enter');
  await expect(reception.getByRole('region', { name: 'Patient summary' }).getByRole('heading', { name: 'Meena Joshi' })).toBeVisible();

  keys.begin('checkIn');
  await keys.press(reception, 'Alt+c');
  const slip = reception.getByRole('dialog', { name: 'Checked in' });
  await expect(slip.getByTestId('slip-token')).toHaveText('1');
  await keys.press(reception, 'Enter');
  await expect(slip).toHaveCount(0);
  expect(await reception.evaluate<number>('window.prints')).toBe(1);

  // The doctor's desk.
  keys.begin('callNext');
  await keys.press(doctor, 'F2');
  await expect(doctor.getByRole('region', { name: 'My queue' }).getByText('Meena Joshi')).toBeVisible();
  await keys.press(doctor, 'Alt+x');
  await expect(doctor.getByLabel('Patient banner')).toContainText('Meena Joshi');

  keys.begin('vitals');
  await expect(doctor.getByLabel('BP systolic (mmHg)')).toBeFocused();
  await keys.type(doctor, '130');
  await keys.press(doctor, 'Tab');
  await keys.type(doctor, '85');
  await keys.press(doctor, 'Tab');
  await keys.type(doctor, '78');
  await keys.press(doctor, 'Tab');
  await keys.type(doctor, '99.1');
  await expect(doctor.getByTestId('save-state')).toHaveText(/^Saved /);

  keys.begin('diagnosis');
  await keys.press(doctor, 'Alt+i');
  await keys.type(doctor, 'essential hyper');
  await expect(doctor.getByRole('listbox', { name: 'ICD-10 matches' }).getByRole('option').first()).toContainText('I10');
  await keys.press(doctor, 'Enter');
  await expect(doctor.getByTestId('diagnosis')).toContainText('Essential (primary) hypertension');
  await expect(doctor.getByTestId('save-state')).toHaveText(/^Saved /);

  // Three drugs as a doctor types them (the first letters), Enter, Tab to the frequency, and the
  // frequency with its days ("x5").
  keys.begin('prescription');
  await keys.press(doctor, 'Alt+2');
  const drugBox = doctor.getByPlaceholder(/Generic or brand name/);
  await expect(drugBox).toBeFocused();
  const items = doctor.getByTestId('rx-item');
  const drugs = [
    ['para 500', '1-0-1 x5'],
    ['cetiri', '0-0-1 x5'],
    ['panto', '1-0-0 x7'],
  ] as const;
  for (const [n, [name, frequency]] of drugs.entries()) {
    if (n > 0) await keys.press(doctor, 'Alt+d');
    await expect(drugBox).toBeFocused();
    await keys.type(doctor, name);
    await expect(doctor.getByRole('listbox', { name: 'Drug matches' }).getByRole('option').first()).toBeVisible();
    await keys.press(doctor, 'Enter');
    await expect(items).toHaveCount(n + 1);
    await expect(doctor.getByLabel(`Item ${n + 1} dose`)).toBeFocused();
    await keys.press(doctor, 'Tab');
    await keys.type(doctor, frequency);
  }
  await keys.press(doctor, 'Tab'); // leaves the last frequency: "x7" becomes its days
  await expect(doctor.getByLabel('Item 1 frequency')).toHaveValue('1-0-1');
  await expect(doctor.getByLabel('Item 1 days')).toHaveValue('5');
  await expect(doctor.getByLabel('Item 2 frequency')).toHaveValue('0-0-1');
  await expect(doctor.getByLabel('Item 3 frequency')).toHaveValue('1-0-0');
  await expect(doctor.getByLabel('Item 3 days')).toHaveValue('7');
  await expect(items.nth(0)).toContainText('PARACETAMOL');
  await expect(items.nth(1)).toContainText('CETIRIZINE');
  await expect(items.nth(2)).toContainText('PANTOPRAZOLE');

  keys.begin('preview');
  await previewPrescription(doctor, keys);

  // Enter in the preview prints (Ctrl+P prints without one).
  keys.begin('print');
  await keys.press(doctor, 'Enter');
  await expect(doctor.getByTestId('print-result')).toHaveText('Sent to PDF', { timeout: 60_000 });
  await expect(doctor.getByText('Printed · locked')).toBeVisible();

  keys.begin('complete');
  await keys.press(doctor, 'Alt+1');
  await expect(doctor.getByLabel('BP systolic (mmHg)')).toBeFocused();
  await keys.press(doctor, 'Control+Enter');
  await expect(doctor.getByText('Completed · locked')).toBeVisible();

  // The billing counter: the fee and the three medicines (the starter formulary has no prices).
  keys.begin('bill');
  await keys.press(cashier, 'F3');
  await expect(cashier.getByRole('region', { name: 'To bill' })).toContainText('Meena Joshi');
  await expect(cashier.getByRole('region', { name: 'To bill' }).getByRole('button', { name: 'Bill' })).toBeFocused();
  await keys.press(cashier, 'Enter');
  await expect(cashier.getByTestId('bill-line')).toHaveCount(4);
  await expect(cashier.getByLabel('Line 2 rate')).toBeFocused();
  for (const price of ['2.20', '1.50', '6']) {
    await keys.type(cashier, price);
    await keys.press(cashier, 'Enter');
  }
  await expect(cashier.getByRole('button', { name: /Issue bill/ })).toBeFocused();
  await keys.press(cashier, 'Enter');
  await expect(cashier.getByTestId('invoice-status')).toHaveText('issued');

  keys.begin('payment');
  const amount = cashier.getByLabel('Part 1 amount');
  await expect(amount).toBeFocused();
  const total = await cashier.getByTestId('total-Total').textContent();
  expect(total).toMatch(/^₹5\d\d\.\d\d$/);
  await keys.press(cashier, 'Enter');
  await expect(cashier.getByTestId('invoice-status')).toHaveText('paid');
  await expect(cashier.getByTestId('balance')).toHaveText('Paid in full');

  const { logins, ...day } = keys.counts;
  const totalKeys = Object.values(day).reduce((s, n) => s + n, 0);
  console.log(JSON.stringify({ keys: { ...day, total: totalKeys, logins } }));
  // Today's baseline (issue #16): 35 keys to register and check in, 60 keys and a click for three drugs.
  expect(day.register! + day.checkIn!).toBeLessThan(35);
  expect(day.prescription!).toBeLessThan(60);
});
