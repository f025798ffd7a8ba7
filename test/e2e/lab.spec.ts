import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { expect, logIn, test, type Host } from './fixtures';
import { labOrdered } from './lab-fixtures';

test.use({ viewport: { width: 1366, height: 768 } });
// Four logins' password hashes and two PDFs on a machine shared with other work.
test.setTimeout(180_000);

const SHOTS = '/tmp/shots-lab';

/** The doctor has seen Ramesh and ordered his haemoglobin; the lab technician is on duty. */
async function orderedHb(host: Host) {
  const { doctor, orderIds } = await labOrdered(host, ['HB']);
  return { doctor, orderId: orderIds[0]! };
}

test('the lab technician collects the sample, records the result by keyboard, and prints the verified report', async ({ page, host }) => {
  fs.mkdirSync(SHOTS, { recursive: true });
  const { doctor, orderId } = await orderedHb(host);
  await page.goto(host.url);
  await logIn(page, 'lata', 'lata-pass-1');
  await page.keyboard.press('F12');
  const toCollect = page.getByRole('region', { name: 'To collect' });
  await expect(toCollect).toContainText('Ramesh Kulkarni');
  await expect(toCollect).toContainText('13.0-17.0');

  // Collect: the label prints (a PDF with the sample id).
  const labelDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Collect sample: Haemoglobin for Ramesh Kulkarni' }).focus();
  await page.keyboard.press('Enter');
  const label = await labelDownload;
  const labelText = execFileSync('pdftotext', [(await label.path()), '-'], { encoding: 'utf8' });
  expect(labelText).toMatch(/S\/A\/000001/);
  expect(labelText).toMatch(/Ramesh Kulkarni/);

  // The result by keyboard: out of range is flagged as it is typed; Enter saves.
  const box = page.getByLabel('Result: Haemoglobin for Ramesh Kulkarni');
  await box.focus();
  await page.keyboard.type('18.2');
  await expect(page.getByTestId('flag')).toHaveText('H');
  await page.screenshot({ path: `${SHOTS}/typing.png` });
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toContainText('Haemoglobin for Ramesh Kulkarni: 18.2 g/dL (H) saved.');
  const awaiting = page.getByRole('region', { name: 'Awaiting verification' });
  await expect(awaiting).toContainText('S/A/000001');
  // The one who entered it does not verify it (a lab technician never does).
  await expect(awaiting.getByRole('button', { name: /Verify/ })).toHaveCount(0);

  // The doctor verifies; the verified result shows bold with its flag.
  expect((await host.api('labs.verify', { orderId }, doctor)).ok).toBe(true);
  await page.reload();
  const verified = page.getByRole('region', { name: 'Verified' });
  await expect(verified).toContainText('18.2 g/dL');
  await expect(verified).toContainText('H');
  await page.screenshot({ path: `${SHOTS}/verified.png` });

  const reportDownload = page.waitForEvent('download');
  await verified.getByRole('button', { name: 'Print report for Ramesh Kulkarni' }).focus();
  await page.keyboard.press('Enter');
  const report = await reportDownload;
  const file = `${SHOTS}/e2e-report.pdf`;
  await report.saveAs(file);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  expect(text).toMatch(/Haemoglobin.*18\.2\s+H\s+g\/dL\s+13\.0-17\.0/);
  expect(text).toMatch(/Verified by: Dr Anil Mehta/);
  await expect(verified.getByRole('button', { name: 'Print report for Ramesh Kulkarni' })).toContainText('(1)');
});
