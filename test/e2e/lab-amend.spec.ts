import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { expect, logIn, test, type Host } from './fixtures';
import { labOrdered } from './lab-fixtures';

test.use({ viewport: { width: 1366, height: 768 } });
// Several logins' password hashes and three PDFs on a machine shared with other work.
test.setTimeout(240_000);

const SHOTS = '/tmp/shots-lab';

/** Ramesh's haemoglobin (18.2, H) and TSH (2.1) entered by the lab technician and verified by Dr Mehta. */
async function verifiedHbAndTsh(host: Host) {
  const { doctor, orderIds } = await labOrdered(host, ['HB', 'TSH']);
  const lata = (await host.api('auth.login', { username: 'lata', password: 'lata-pass-1' })).value.token;
  const values = ['18.2', '2.1'];
  for (const [i, orderId] of orderIds.entries()) {
    expect((await host.api('labs.collect', { orderId }, lata)).ok).toBe(true);
    expect((await host.api('labs.recordResult', { orderId, value: values[i] }, lata)).ok).toBe(true);
    expect((await host.api('labs.verify', { orderId }, doctor)).ok).toBe(true);
  }
}

function reportText(file: string): string {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

test('the technician picks the day and amends a verified result by keyboard; the report waits until a doctor verifies it again', async ({ page, host }) => {
  fs.mkdirSync(SHOTS, { recursive: true });
  await verifiedHbAndTsh(host);
  await page.goto(host.url);
  await logIn(page, 'lata', 'lata-pass-1');
  await page.keyboard.press('F12');
  const verified = page.getByRole('region', { name: 'Verified' });
  await expect(verified).toContainText('18.2 g/dL');

  // The day's list: Alt+D goes to the day; another day has none of today's orders, back to today has them.
  await page.keyboard.press('Alt+D');
  const day = page.getByLabel(/^Day/);
  await expect(day).toBeFocused();
  const today = await day.inputValue();
  await page.keyboard.press('ArrowDown');
  await expect(day).not.toHaveValue(today);
  await expect(page.getByText('No lab orders for this day.')).toBeVisible();
  await page.keyboard.press('ArrowUp');
  await expect(day).toHaveValue(today);
  await expect(verified).toContainText('Ramesh Kulkarni');

  // Amend: the dialog shows the verified value, wants the new one and a reason.
  await verified.getByRole('button', { name: 'Amend Haemoglobin for Ramesh Kulkarni' }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Amend Haemoglobin for Ramesh Kulkarni' });
  await expect(dialog.getByTestId('amend-old')).toHaveText('18.2 g/dL');
  await expect(dialog.getByLabel(/Corrected result/)).toBeFocused();
  await page.keyboard.type('14.2');
  await page.keyboard.press('Enter');
  await expect(dialog).toContainText('Say why the verified result is corrected');
  await dialog.getByLabel(/Reason for the amendment/).focus();
  await page.keyboard.type('Transcription error: 14.2 on the analyser');
  await page.screenshot({ path: `${SHOTS}/amend-dialog.png` });
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status')).toContainText('amended: 18.2 g/dL → 14.2 g/dL');
  const awaiting = page.getByRole('region', { name: 'Awaiting verification' });
  await expect(awaiting).toContainText('Amended, to be verified again');
  await expect(awaiting.getByLabel('Result: Haemoglobin for Ramesh Kulkarni')).toHaveValue('14.2');

  // The report (TSH is still verified) says the haemoglobin waits, not the old value.
  const first = page.waitForEvent('download');
  await verified.getByRole('button', { name: 'Print report for Ramesh Kulkarni' }).first().click();
  await (await first).saveAs(`${SHOTS}/amend-awaited.pdf`);
  const waiting = reportText(`${SHOTS}/amend-awaited.pdf`);
  expect(waiting).toContain('Result awaited (amended, to be verified)');
  expect(waiting).not.toMatch(/18\.2/);
  expect(waiting).toMatch(/TSH.*2\.1/);

  // A doctor verifies again: the report shows the new value and what it was.
  await page.getByRole('button', { name: 'Log out' }).click();
  await logIn(page, 'drmehta', 'mehta-pass-1');
  await page.keyboard.press('F12');
  await page.getByRole('region', { name: 'Awaiting verification' }).getByRole('button', { name: 'Verify Haemoglobin for Ramesh Kulkarni' }).click();
  await expect(page.getByRole('status')).toContainText('verified');
  await expect(page.getByRole('region', { name: 'Verified' })).toContainText('14.2 g/dL');
  const second = page.waitForEvent('download');
  await page.getByRole('region', { name: 'Verified' }).getByRole('button', { name: 'Print report for Ramesh Kulkarni' }).first().click();
  await (await second).saveAs(`${SHOTS}/amend-verified.pdf`);
  const text = reportText(`${SHOTS}/amend-verified.pdf`);
  expect(text).toMatch(/14\.2/);
  expect(text).toMatch(/amended; was 18\.2/);
  expect(text).not.toContain('Result awaited');
});
