import { expect, logIn, setUpClinic, test } from './fixtures';

const RECEPTIONIST = { username: 'rita', fullName: 'Rita Dsouza', password: 'rita-pass-1' };

/** The ABHA card layout published in ABDM's sandbox docs: masked mobile, "state name" with a space. */
const CARD = JSON.stringify({
  hidn: '15-3638-0684-6247',
  hid: 'kiranma@abdm',
  name: 'Kiran Mandyam Anandampillai',
  gender: 'M',
  statelgd: '29',
  distlgd: '572',
  dob: '14/9/1979',
  'state name': 'Karnataka',
  district_name: 'Bengaluru Urban',
  mobile: '984x1x2x6x',
  address: '4 MG Road, Shivajinagar',
});

test('reception reads an ABHA card by keyboard-wedge scan, registers from it, and is sent to the patient when the same card comes again', async ({ page, host }) => {
  const admin = await setUpClinic(host);
  await host.api('staff.create', { ...RECEPTIONIST, roles: ['receptionist'] }, admin);
  await page.goto(host.url);
  await logIn(page, RECEPTIONIST.username, RECEPTIONIST.password);
  await expect(page.getByRole('heading', { name: 'Reception' })).toBeVisible();

  // Keyboard only: new patient, Alt+A, the scanner "types" the QR text and Enter.
  await page.keyboard.press('Alt+n');
  await expect(page.getByRole('textbox', { name: 'Given name' })).toBeFocused();
  await page.keyboard.press('Alt+a');
  const box = page.getByRole('textbox', { name: 'ABHA card QR text' });
  await expect(box).toBeFocused();
  await page.keyboard.type('not a card');
  await page.keyboard.press('Enter');
  await expect(page.getByText('This is not an ABHA card QR code')).toBeVisible();
  await page.keyboard.press('Control+a');
  await page.keyboard.type(CARD);
  await page.keyboard.press('Enter');

  const form = page.getByRole('form', { name: 'Register patient' });
  await expect(box).toBeHidden();
  await expect(form.getByRole('textbox', { name: 'Given name' })).toHaveValue('Kiran Mandyam');
  await expect(form.getByRole('textbox', { name: 'Family name' })).toHaveValue('Anandampillai');
  await expect(form.getByRole('combobox', { name: 'Gender' })).toHaveValue('male');
  await expect(form.getByRole('textbox', { name: 'Date of birth' })).toHaveValue('1979-09-14');
  await expect(form.getByRole('textbox', { name: 'ABHA number' })).toHaveValue('15-3638-0684-6247');
  await expect(form.getByRole('textbox', { name: 'ABHA address' })).toHaveValue('kiranma@abdm');
  await expect(form.getByRole('textbox', { name: 'District' })).toHaveValue('Bengaluru Urban');
  await expect(form.getByRole('textbox', { name: 'State' })).toHaveValue('Karnataka');
  const filled = page.getByRole('alert').filter({ hasText: 'Filled from the ABHA card' });
  await expect(filled).toContainText('not verified with ABDM');
  await expect(filled).toContainText('State Karnataka (LGD 29)');
  await expect(filled).toContainText('Mobile on the card is masked: ask for it');

  // The card's mobile is masked: the cursor waits in Mobile, and Enter saves.
  await expect(form.getByRole('textbox', { name: 'Mobile' })).toBeFocused();
  await page.keyboard.type('9845012345');
  await page.keyboard.press('Enter');
  const summary = page.getByRole('region', { name: 'Patient summary' });
  await expect(summary.getByRole('heading', { name: 'Kiran Mandyam Anandampillai' })).toBeVisible();
  await expect(summary).toContainText('ABHA 15-3638-0684-6247');
  const found = await host.api('patients.search', { query: '15363806846247', limit: 5 }, admin);
  expect(found.value).toHaveLength(1);
  const saved = await host.api('patients.get', { id: found.value[0].id }, admin);
  expect(saved.value.patient).toMatchObject({ abhaNumber: '15363806846247', abhaAddress: 'kiranma@abdm', mobile: '9845012345', dob: '1979-09-14' });

  // The same card again: the desk is offered the patient instead of a duplicate; Enter opens them.
  await page.keyboard.press('Alt+n');
  await expect(page.getByRole('textbox', { name: 'Given name' })).toBeFocused();
  await page.keyboard.press('Alt+a');
  await expect(box).toBeFocused();
  await page.keyboard.type(CARD);
  await page.keyboard.press('Enter');
  const already = page.getByRole('alert').filter({ hasText: 'This ABHA is already registered' });
  await expect(already).toContainText('Kiran Mandyam Anandampillai');
  await expect(already.getByRole('button', { name: /^Open / })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('form', { name: 'Register patient' })).toBeHidden();
  await expect(summary.getByRole('heading', { name: 'Kiran Mandyam Anandampillai' })).toBeVisible();
  expect((await host.api('patients.search', { query: '15363806846247', limit: 5 }, admin)).value).toHaveLength(1);
});
