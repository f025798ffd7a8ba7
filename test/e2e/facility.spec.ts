import { ADMIN, expect, logIn, setUpClinic, test } from './fixtures';

/** Chooses from a dropdown; searchable ones get some letters typed first, as a person would. */
async function pick(page: import('@playwright/test').Page, label: string, typed: string | null, option: string) {
  const input = page.getByRole('combobox', { name: label, exact: true });
  await input.click();
  if (typed) await input.fill(typed);
  await page.getByRole('option', { name: option, exact: true }).click();
}

test('on a new install, an admin registers the facility with LGD pickers, loads the shipped lists for the pincode\'s location, is told what is missing, completes it, and the HFR payload carries the codes', async ({ page, host }) => {
  test.setTimeout(150_000);
  // Nothing imported: the LGD directory is the one the app ships and loaded when it first opened.
  await setUpClinic(host);

  await page.goto(host.url);
  await logIn(page, ADMIN.username, ADMIN.password);
  await page.getByRole('link', { name: /Facility/ }).click();
  await expect(page.getByTestId('registration-status')).toHaveText('Draft');
  await expect(page.getByTestId('shipped-counts')).toContainText('LGD districts: 784 of 784');
  await expect(page.getByTestId('shipped-counts')).toContainText('post offices: 0 of 1,65,627');

  // The rest of the shipped lists, in the background with a progress bar; the counts follow.
  await page.getByRole('button', { name: 'Load the lists shipped with the app' }).click();
  await expect(page.getByTestId('Shipped lists status')).toHaveText('100% · Finished', { timeout: 120_000 });
  await expect(page.getByTestId('shipped-counts')).toContainText('post offices: 1,65,627 of 1,65,627');

  // The address, from the LGD lists: state, then its districts, then that district's sub-districts.
  await pick(page, 'State', 'Mahara', 'Maharashtra');
  await pick(page, 'District', 'Pun', 'Pune');
  await pick(page, 'Sub-district', 'Have', 'Haveli');
  await page.getByRole('textbox', { name: 'Address line 1', exact: true }).fill('12 MG Road, Camp');
  await page.getByRole('textbox', { name: 'Pincode', exact: true }).fill('411001');
  await page.getByRole('button', { name: "Use pincode's location" }).click();
  await expect(page.getByRole('textbox', { name: 'Latitude', exact: true })).toHaveValue('18.523222');
  await expect(page.getByRole('textbox', { name: 'Longitude', exact: true })).toHaveValue('73.875861');

  // Not everything is there yet: the app says exactly what is missing.
  await page.getByRole('button', { name: 'Check and complete' }).click();
  const missing = page.getByTestId('missing-fields');
  await expect(missing).toHaveText(
    [
      'Ownership is required',
      'System(s) of medicine is required',
      'Facility type is required',
      'Operational status is required',
      'Specialities is required',
      'Type of service (OPD/IPD) is required',
      'Region (rural/urban) is required',
      'Mobile number is required',
      'Timings (at least one working day) is required',
    ].join(' · '),
  );
  await expect(page.getByTestId('registration-status')).toHaveText('Draft');

  await pick(page, 'Ownership', null, 'Private');
  await pick(page, 'Ownership sub-type', null, 'Private: for profit');
  await pick(page, 'Operational status', null, 'Functional');
  await pick(page, 'Facility type', null, 'Clinic / Dispensary');
  await pick(page, 'Facility sub-type', null, 'General practice clinic');
  await page.getByRole('checkbox', { name: 'OPD' }).check();
  await page.getByRole('combobox', { name: 'Systems of medicine' }).focus();
  await page.keyboard.press('ArrowDown');
  await page.getByRole('option', { name: 'Modern Medicine (Allopathy)' }).click();
  await page.keyboard.press('Escape');
  await page.getByRole('combobox', { name: 'Specialities' }).focus();
  await page.keyboard.type('General Med');
  await page.getByRole('option', { name: 'General Medicine' }).click();
  await page.keyboard.press('Escape');
  await pick(page, 'Region', null, 'Urban');
  await page.getByRole('textbox', { name: 'Latitude', exact: true }).fill('18.5196');
  await page.getByRole('textbox', { name: 'Longitude', exact: true }).fill('73.8553');
  await page.getByRole('textbox', { name: 'Mobile', exact: true }).fill('9822012345');
  await page.getByRole('checkbox', { name: 'MON' }).check();

  await page.getByRole('button', { name: 'Check and complete' }).click();
  await expect(page.getByTestId('registration-status')).toHaveText('Registration complete');

  await page.getByRole('button', { name: 'Show HFR payload' }).click();
  const payload = JSON.parse((await page.getByTestId('hfr-payload').textContent()) ?? '{}');
  expect(payload.facilityInformation.facilityAddressDetails).toMatchObject({
    stateLGDCode: '27',
    districtLGDCode: '490',
    subDistrictLGDCode: '4193',
    pincode: '411001',
    facilityRegion: 'U',
  });
  expect(payload.facilityInformation).toMatchObject({ ownershipCode: 'P', ownershipSubTypeCode: 'P', systemOfMedicineCode: 'M', typeOfServiceCode: 'OPD' });
  expect(payload.facilityInformation.timingsOfFacility).toEqual([{ workingDays: 'MON', openingHours: '9:00 AM - 1:00 PM' }]);
});

test('the About box gives the version and the attributions the shipped data and fonts require', async ({ page, host }) => {
  await setUpClinic(host);
  await page.goto(host.url);
  await logIn(page, ADMIN.username, ADMIN.password);
  await page.getByRole('button', { name: 'About' }).click();
  const about = page.getByRole('dialog', { name: 'About Clinic Workstation' });
  await expect(about.getByTestId('app-version')).toHaveText(/^Version \d+\.\d+\.\d+/);
  await expect(about).toContainText('Local Government Directory (LGD), Ministry of Panchayati Raj, Government of India.');
  await expect(about).toContainText('Department of Posts, Ministry of Communications, Government of India, All India Pincode Directory till last month');
  await expect(about).toContainText('public domain');
  await expect(about).toContainText('SIL Open Font License');
});

test('leaving the facility screen with unsaved changes asks first; staying keeps them, saving lets the admin go', async ({ page, host }) => {
  await setUpClinic(host);
  await page.goto(host.url);
  await logIn(page, ADMIN.username, ADMIN.password);
  await expect(page.getByRole('heading', { name: 'Reception' })).toBeVisible();
  await page.keyboard.press('F4');
  await expect(page.getByRole('heading', { name: 'Facility', exact: true })).toBeVisible();
  // Nothing typed: leaving does not ask.
  await page.keyboard.press('F1');
  await expect(page.getByRole('heading', { name: 'Reception' })).toBeVisible();

  await page.getByRole('link', { name: /Facility/ }).click();
  const website = page.getByLabel('Website');
  await website.fill('https://sharmaclinic.in');
  await page.keyboard.press('F1');
  const ask = page.getByRole('dialog', { name: 'Leave without saving?' });
  await expect(ask).toContainText('The facility details: your changes are not saved yet.');
  // Enter stays (the safe answer has the focus).
  await page.keyboard.press('Enter');
  await expect(ask).toBeHidden();
  await expect(website).toHaveValue('https://sharmaclinic.in');

  // The menu asks too; leaving anyway drops the change.
  await page.getByRole('link', { name: /Reception/ }).click();
  await ask.getByRole('button', { name: 'Leave without saving' }).click();
  await expect(page.getByRole('heading', { name: 'Reception' })).toBeVisible();
  await page.keyboard.press('F4');
  await expect(page.getByLabel('Website')).toHaveValue('');

  // Saved changes do not hold the admin back.
  await page.getByLabel('Website').fill('https://sharmaclinic.in');
  await page.keyboard.press('Control+s');
  await expect(page.getByText('Saved.')).toBeVisible();
  await page.keyboard.press('F1');
  await expect(page.getByRole('heading', { name: 'Reception' })).toBeVisible();
  await expect(ask).toBeHidden();
});
