import { ADMIN, expect, FACILITY, logIn, setUpClinic, test } from './fixtures';

test('first run: setup wizard, then an admin adds a receptionist who logs in and sees the shell', async ({ page, host }) => {
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: 'Set up this clinic workstation' })).toBeVisible();

  await page.getByLabel('Clinic name').fill(FACILITY.name);
  await page.getByLabel('Address').fill(FACILITY.address);
  await page.getByLabel('Phone').fill(FACILITY.phone);
  await page.getByLabel('Full name').fill(ADMIN.fullName);
  await page.getByLabel('Username').fill(ADMIN.username);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN.password);
  await page.getByLabel('Confirm password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Set up clinic' }).click();

  // Straight into the shell as the new administrator.
  await expect(page.getByTestId('current-user')).toHaveText(ADMIN.fullName);
  await expect(page.getByRole('heading', { name: FACILITY.name })).toBeVisible();

  await page.getByRole('link', { name: /Staff/ }).click();
  const form = page.getByRole('form', { name: 'Add staff member' });
  await form.getByLabel('Full name').fill('Rita Dsouza');
  await form.getByLabel('Username').fill('rita');
  await form.getByLabel('Initial password').fill('rita-pass-1');
  await form.getByLabel('Receptionist').check();
  // The first password is the administrator's: by default she chooses her own at first login.
  await expect(form.getByLabel('They choose their own password at first login')).toBeChecked();
  await form.getByRole('button', { name: 'Add staff member' }).click();
  await expect(page.getByRole('table', { name: 'Staff list' }).getByRole('cell', { name: 'rita', exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Log out' }).click();
  await logIn(page, 'rita', 'rita-pass-1');
  const choose = page.getByRole('dialog', { name: 'Choose your own password' });
  await choose.getByLabel('Current password').fill('rita-pass-1');
  await choose.getByLabel('New password', { exact: true }).fill('rita-own-pass-3');
  await choose.getByLabel('New password again').fill('rita-own-pass-3');
  await choose.getByRole('button', { name: 'Change password' }).click();
  await expect(choose).toHaveCount(0);
  await expect(page.getByTestId('current-user')).toHaveText('Rita Dsouza');
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Reception/ })).toBeVisible();
  await expect(page.getByRole('link', { name: /Staff/ })).toHaveCount(0);
});

test('a wrong password is refused with a message', async ({ page, host }) => {
  await setUpClinic(host);
  await page.goto(host.url);
  await logIn(page, ADMIN.username, 'not the password');
  await expect(page.getByRole('alert')).toHaveText('Wrong username or password.');
  await expect(page.getByTestId('current-user')).toHaveCount(0);
});

test('a receptionist cannot open Staff, even by its address', async ({ page, host }) => {
  const admin = await setUpClinic(host);
  await host.api('staff.create', { username: 'rita', fullName: 'Rita Dsouza', password: 'rita-pass-1', roles: ['receptionist'] }, admin);
  await page.goto(host.url);
  await logIn(page, 'rita', 'rita-pass-1');
  await expect(page.getByTestId('current-user')).toHaveText('Rita Dsouza');
  await page.goto(`${host.url}/#/staff`);
  await expect(page.getByRole('alert')).toContainText('Your role does not include Staff');
  await expect(page.getByRole('table', { name: 'Staff list' })).toHaveCount(0);
});

test('locking the screen ends the session until the password is entered again', async ({ page, host }) => {
  await setUpClinic(host);
  await page.goto(host.url);
  await logIn(page, ADMIN.username, ADMIN.password);
  await expect(page.getByTestId('current-user')).toHaveText(ADMIN.fullName);
  await page.keyboard.press('Control+l');
  await expect(page.getByRole('heading', { name: `Locked: ${ADMIN.fullName}` })).toBeVisible();
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByTestId('current-user')).toHaveText(ADMIN.fullName);
});

test('an administrator resets a forgotten password; the receptionist logs in with it and chooses her own', async ({ page, host }) => {
  const admin = await setUpClinic(host);
  await host.api('staff.create', { username: 'rita', fullName: 'Rita Dsouza', password: 'rita-pass-1', roles: ['receptionist'] }, admin);
  const ritaElsewhere = (await host.api('auth.login', { username: 'rita', password: 'rita-pass-1' })).value.token as string;

  await page.goto(host.url);
  await logIn(page, ADMIN.username, ADMIN.password);
  await page.getByRole('link', { name: /Staff/ }).click();
  await page.getByRole('button', { name: 'Reset password of Rita Dsouza' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reset password: Rita Dsouza' });
  // A weak password is refused and the field says why.
  await dialog.getByLabel('New password', { exact: true }).fill('short');
  await dialog.getByLabel('New password again').fill('short');
  await dialog.getByRole('button', { name: 'Reset password' }).click();
  await expect(dialog).toContainText('Password must be at least 8 characters');
  await dialog.getByLabel('New password', { exact: true }).fill('rita-temp-pass-9');
  await dialog.getByLabel('New password again').fill('rita-temp-pass-9');
  await dialog.getByRole('button', { name: 'Reset password' }).click();
  await expect(dialog).toHaveCount(0);
  // Her session elsewhere has ended.
  expect((await host.api('auth.me', {}, ritaElsewhere)).error.code).toBe('unauthenticated');

  await page.getByRole('button', { name: 'Log out' }).click();
  await logIn(page, 'rita', 'rita-pass-1');
  // The login form's own alert (the reset's toast may still be fading in the corner).
  await expect(page.getByRole('alert').filter({ hasText: 'Wrong username' })).toHaveText('Wrong username or password.');
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill('rita-temp-pass-9');
  await page.getByRole('button', { name: 'Log in' }).click();

  // Before working, she replaces the password the administrator chose.
  const choose = page.getByRole('dialog', { name: 'Choose your own password' });
  await expect(choose).toBeVisible();
  await choose.getByLabel('Current password').fill('rita-temp-pass-9');
  await choose.getByLabel('New password', { exact: true }).fill('rita-own-pass-3');
  await choose.getByLabel('New password again').fill('rita-own-pass-3');
  await choose.getByRole('button', { name: 'Change password' }).click();
  await expect(choose).toHaveCount(0);
  await expect(page.getByTestId('current-user')).toHaveText('Rita Dsouza');
  expect((await host.api('auth.login', { username: 'rita', password: 'rita-own-pass-3' })).ok).toBe(true);
});
