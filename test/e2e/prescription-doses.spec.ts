import { expect, logIn, setUpClinic, test } from './fixtures';

/**
 * By keyboard: for a 54-year-old, "azithro" + Enter adds a tablet (not the children's suspension),
 * "1-0-1 x5" typed as its frequency settles into 1-0-1 for 5 days that the doctor can change, and a
 * prednisolone taper typed into the frequency box reads step by step with 9 days and 21 tablets.
 */
test('an adult gets the azithromycin tablet first, and a taper typed as steps shows its steps, days and quantity', async ({ page, host }) => {
  const admin = await setUpClinic(host);
  const dr = (await host.api('staff.create', { username: 'drmehta', fullName: 'Anil Mehta', password: 'mehta-pass-1', roles: ['doctor'] }, admin)).value;
  const reg = await host.api('patients.register', { patient: { givenName: 'Asha', familyName: 'Kulkarni', gender: 'female', ageYears: 54, mobile: '9822055556' } }, admin);
  await host.api('queue.checkIn', { patientId: reg.value.patient.id, doctorId: dr.id }, admin);

  await page.goto(host.url);
  await logIn(page, 'drmehta', 'mehta-pass-1');
  await page.getByRole('link', { name: /Doctor/ }).click();
  await expect(page.getByRole('region', { name: 'My queue' }).getByText('Asha Kulkarni')).toBeVisible();
  await page.keyboard.press('Alt+x');
  await page.getByRole('tab', { name: 'Prescription' }).click();
  const items = page.getByTestId('rx-item');
  const drugBox = page.getByPlaceholder(/Generic or brand name/);
  await expect(drugBox).toBeFocused();

  await page.keyboard.type('azithro');
  await expect(page.getByRole('listbox', { name: 'Drug matches' }).getByRole('option').first()).toContainText('tablet');
  await page.keyboard.press('Enter');
  await expect(items).toHaveCount(1);
  await expect(items.nth(0)).toContainText('AZITHROMYCIN');
  await expect(items.nth(0)).toContainText('tablet');
  await expect(page.getByLabel('Item 1 dose')).toHaveValue('1 tab');

  // A one-step taper typed in Frequency becomes the frequency and its days once the box is left;
  // Days then keeps what the doctor types (it used to snap back to 5).
  await page.getByLabel('Item 1 frequency').fill('1-0-1 x5');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Item 1 frequency')).toHaveValue('1-0-1');
  await expect(page.getByLabel('Item 1 days')).toHaveValue('5');
  await expect(items.nth(0).getByTestId('rx-item-qty')).toHaveText('10');
  await page.getByLabel('Item 1 days').fill('7');
  await expect(page.getByLabel('Item 1 days')).toHaveValue('7');
  await expect(items.nth(0).getByTestId('rx-item-qty')).toHaveText('14');
  await page.getByLabel('Item 1 timing').focus();
  await expect(page.getByLabel('Item 1 days')).toHaveValue('7');

  await page.keyboard.press('Alt+d');
  await page.keyboard.type('prednisolone 10');
  await expect(page.getByRole('listbox', { name: 'Drug matches' }).getByRole('option').first()).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(items).toHaveCount(2);
  await expect(page.getByLabel('Item 2 dose')).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Control+a');
  await page.keyboard.type('4-0-0 x3, 2-0-0 x3, 1-0-0 x3');
  await expect(items.nth(1).getByTestId('rx-item-dosage')).toHaveText('4 tab morning for 3 days, then 2 tab morning for 3 days, then 1 tab morning for 3 days');
  await expect(page.getByLabel('Item 2 days')).toHaveValue('9');
  await expect(items.nth(1).getByTestId('rx-item-qty')).toHaveText('21');
  await expect(page.getByTestId('rx-save-state')).toHaveText(/^Saved · A\/RX\/000001$/);

  // A step without its days is named, and the draft is not saved with it.
  await page.keyboard.type(', 1-0-0 x');
  await expect(items.nth(1)).toContainText('Steps: step 4 ("1-0-0 x") needs its days');
  await expect(page.getByTestId('rx-save-state')).toHaveText(/^Not saved: items\.1: Steps: step 4/);
});
