import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ADMIN, expect, logIn, setUpClinic, startHost, test, type Host } from './fixtures';

test.use({ viewport: { width: 1366, height: 768 } });

async function backUp(host: Host, token: string): Promise<string> {
  const job = await host.api('backups.runNow', {}, token);
  expect(job.ok).toBe(true);
  for (let i = 0; i < 100; i++) {
    const j = await host.api('jobs.get', { jobId: job.value.id }, token);
    if (j.value?.status === 'done') return String(j.value.result.file);
    if (j.value?.status === 'failed') throw new Error(j.value.message);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the backup did not finish');
}

test('a backup from a lost computer is restored on a new one with the recovery key shown on the old one', async ({ page, host, browser }) => {
  // Each host makes its own key file (fixtures.ts keeps CLINIC_DB_KEY away from them).
  test.setTimeout(90_000);
  const usb = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-e2e-usb-'));
  const second = await startHost();
  try {
    // The old computer: a patient, a backup, and the recovery key read off the Backups screen.
    const tokenA = await setUpClinic(host);
    expect((await host.api('backups.configure', { folder: usb }, tokenA)).ok).toBe(true);
    const reg = await host.api('patients.register', { patient: { givenName: 'Meera', familyName: 'Kulkarni', gender: 'female', ageYears: 61, mobile: '9822011111' } }, tokenA);
    expect(reg.ok).toBe(true);
    await backUp(host, tokenA);

    await page.goto(host.url);
    await logIn(page, ADMIN.username, ADMIN.password);
    await page.getByRole('link', { name: /Backups/ }).click();
    await page.getByRole('button', { name: 'Show recovery key…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Recovery key' });
    await dialog.getByLabel('Your password').fill('not it');
    await dialog.getByRole('button', { name: 'Show recovery key' }).click();
    await expect(dialog.getByText('The password is wrong')).toBeVisible();
    await dialog.getByLabel('Your password').fill(ADMIN.password);
    await dialog.getByRole('button', { name: 'Show recovery key' }).click();
    await expect(dialog.getByText('Keep this on paper, away from the backups')).toBeVisible();
    const shown = (await dialog.getByTestId('recovery-key').innerText()).trim();
    expect(shown.replace(/[\s-]/g, '')).toMatch(/^[0-9A-F]{68}$/);
    await dialog.getByRole('button', { name: 'I have written it down' }).click();
    await expect(dialog).toBeHidden();

    // The new computer, its own key, the same USB disk.
    const hostB = second.host;
    const tokenB = await setUpClinic(hostB);
    expect((await hostB.api('backups.configure', { folder: usb }, tokenB)).ok).toBe(true);
    const pageB = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await pageB.goto(hostB.url);
    await logIn(pageB, ADMIN.username, ADMIN.password);
    await pageB.getByRole('link', { name: /Backups/ }).click();
    const table = pageB.getByRole('region', { name: 'Backups' }).getByRole('table');
    const row = table.getByRole('row').nth(1);
    await row.getByRole('button', { name: 'Verify', exact: true }).click();
    await expect(row).toContainText("enter that installation's recovery key");
    // Mistyped (the last digit changed): refused under the field.
    const digits = shown.replace(/[\s-]/g, '');
    const mistyped = digits.slice(0, -1) + (digits.endsWith('0') ? '1' : '0');
    await row.getByRole('textbox', { name: /Recovery key for/ }).fill(mistyped);
    await row.getByRole('button', { name: 'Verify with key' }).click();
    await expect(row).toContainText('does not check out');
    // As written on paper, with the line breaks of the screen.
    await row.getByRole('textbox', { name: /Recovery key for/ }).fill(shown.replace(/\n/g, ' '));
    await row.getByRole('button', { name: 'Verify with key' }).click();
    await expect(row).toContainText('OK · 1 patients');

    await row.getByRole('button', { name: 'Restore…' }).click();
    const confirm = pageB.getByRole('dialog', { name: 'Restore this backup?' });
    await expect(confirm.getByLabel(/Recovery key/)).not.toHaveValue('');
    await confirm.getByRole('button', { name: 'Check and restore' }).click();
    // The notice, or already the login screen once the host has reopened the database.
    await expect(pageB.getByText(/restarts now/).or(pageB.getByRole('heading', { name: 'Log in' })).first()).toBeVisible();

    // After the restart the new computer opens it with its own key: the patient is there.
    await expect
      .poll(async () => {
        const login = await hostB.api('auth.login', { username: ADMIN.username, password: ADMIN.password });
        if (!login.ok) return `login: ${login.error.message}`;
        const found = await hostB.api('patients.search', { query: 'Kulkarni' }, login.value.token);
        return found.ok ? found.value.length : `search: ${found.error.message}`;
      })
      .toBe(1);
  } finally {
    second.child.kill('SIGTERM');
    fs.rmSync(second.host.dataDir, { recursive: true, force: true });
    fs.rmSync(usb, { recursive: true, force: true });
  }
});
