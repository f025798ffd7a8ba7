import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { makePdf } from '../helpers/attachment-files';
import { expect, logIn, test } from './fixtures';
import { labOrdered } from './lab-fixtures';

/*
 * Issue #19 item 3 end to end: the haemoglobin was done by an outside lab. The technician collects,
 * then by keyboard gives the outside lab's PDF as the result from the Lab screen ("Outside report…");
 * a text file named .pdf is refused in the dialog first. The TSH takes the same report, already
 * attached, from the dialog's list with a typed value. The doctor verifies; the printed report says
 * the outside report is attached, and the doctor's timeline shows the file.
 */

test.use({ viewport: { width: 1366, height: 768 } });
// Three logins' password hashes, an upload and a printed PDF on a machine shared with other work.
test.setTimeout(240_000);

const SHOTS = '/tmp/shots-lab-attach';

test('the technician gives an outside lab’s PDF as the result by keyboard; the doctor verifies, the report and the timeline show it', async ({ page, host, browser }) => {
  fs.mkdirSync(SHOTS, { recursive: true });
  const { doctor, orderIds } = await labOrdered(host, ['HB', 'TSH']);
  await page.goto(host.url);
  await logIn(page, 'lata', 'lata-pass-1');
  await page.keyboard.press('F12');
  for (const test of ['Haemoglobin', 'Thyroid stimulating hormone (TSH)']) {
    await page.getByRole('button', { name: `Collect sample: ${test} for Ramesh Kulkarni` }).focus();
    const label = page.waitForEvent('download');
    await page.keyboard.press('Enter');
    await label;
  }
  const awaiting = page.getByRole('region', { name: 'Awaiting result' });
  await expect(awaiting.getByRole('button', { name: /^Outside report/ })).toHaveCount(2);

  // "Outside report…" by keyboard: Tab from the result box reaches it, Enter opens the dialog.
  await page.getByLabel('Result: Haemoglobin for Ramesh Kulkarni').focus();
  const button = page.getByRole('button', { name: 'Outside report: Haemoglobin for Ramesh Kulkarni' });
  await page.keyboard.press('Tab');
  await expect(button).toBeFocused();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Outside report: Haemoglobin for Ramesh Kulkarni' });
  await expect(dialog.getByLabel('Title')).toHaveValue('Haemoglobin - outside lab');
  const file = dialog.getByLabel('Report file');
  await expect(file).toBeFocused();

  // A spreadsheet saved as .pdf: refused by its content, in the dialog, as the attach dialog says it.
  await file.setInputFiles({ name: 'hb.pdf', mimeType: 'application/pdf', buffer: Buffer.from('name,hb\nRamesh,13.2\n') });
  await dialog.getByRole('button', { name: 'Save result' }).focus();
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('alert')).toContainText('This is not a PDF, JPEG or PNG file (judged by its content, not its name)');
  await expect(page.getByRole('region', { name: 'Awaiting verification' })).toHaveCount(0);

  // The real report; no text typed, Enter in the title saves.
  await file.setInputFiles({ name: 'city-lab-hb.pdf', mimeType: 'application/pdf', buffer: makePdf('CITY LAB HAEMOGLOBIN 13.2 g/dL') });
  await expect(dialog).toContainText('city-lab-hb.pdf');
  await page.screenshot({ path: `${SHOTS}/dialog.png` });
  await dialog.getByLabel('Title').focus();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status')).toContainText("Haemoglobin for Ramesh Kulkarni: the outside lab's report is the result");
  const verification = page.getByRole('region', { name: 'Awaiting verification' });
  await expect(verification.getByLabel('Result: Haemoglobin for Ramesh Kulkarni')).toHaveValue('See attached report');
  // Words stand for the number here: no "a number" warning, and the row says why.
  await expect(verification).toContainText('Outside lab report attached');
  await expect(verification).not.toContainText('A number, e.g. 12.5');

  // The TSH came on the same report: chosen from the visit's lab reports, with its value typed.
  await page.getByRole('button', { name: 'Outside report: Thyroid stimulating hormone (TSH) for Ramesh Kulkarni' }).click();
  const tsh = page.getByRole('dialog', { name: /Outside report: Thyroid/ });
  // Dated as every screen writes a day ("7 Dec 2026"), not as the database keeps it.
  await expect(tsh.getByLabel('Report', { exact: true })).toContainText(/Already attached: Haemoglobin - outside lab \(\d{1,2} [A-Z][a-z]{2} \d{4}\)/);
  await tsh.getByLabel('Report', { exact: true }).selectOption({ index: 1 });
  await expect(tsh.getByLabel('Report file')).toHaveCount(0);
  await tsh.getByLabel('Result text (optional)').fill('2.1');
  await tsh.getByLabel('Result text (optional)').press('Enter');
  await expect(tsh).toBeHidden();
  await expect(verification.getByLabel('Result: Thyroid stimulating hormone (TSH) for Ramesh Kulkarni')).toHaveValue('2.1');
  await page.screenshot({ path: `${SHOTS}/awaiting-verification.png` });

  // The doctor verifies; the printed report names the outside report beside each test.
  for (const orderId of orderIds) expect((await host.api('labs.verify', { orderId }, doctor)).ok).toBe(true);
  await page.reload();
  const verified = page.getByRole('region', { name: 'Verified' });
  await expect(verified).toContainText('See attached report');
  const download = page.waitForEvent('download');
  await verified.getByRole('button', { name: 'Print report for Ramesh Kulkarni' }).first().click();
  const pdf = `${SHOTS}/report.pdf`;
  await (await download).saveAs(pdf);
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  // The note wraps in the result column: each test's line starts it.
  expect(text).toMatch(/Haemoglobin S\/A\/000001\s+See attached report\s+Outside lab report\s/);
  expect(text).toMatch(/\(TSH\)\s+2\.1\s+Outside lab report attached \(Haemoglobin -/);
  expect(text.match(/outside lab, \d\d-\d\d-\d{4}\)/g)).toHaveLength(2);
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdf, `${SHOTS}/report`]);

  // The doctor's timeline shows the file and the lab line says it is attached.
  const dr = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await dr.goto(host.url);
  await logIn(dr, 'drmehta', 'mehta-pass-1');
  await dr.getByRole('link', { name: /Doctor/ }).click();
  await expect(dr.getByLabel('Patient banner')).toContainText('Ramesh Kulkarni');
  await dr.keyboard.press('Alt+3');
  const files = dr.getByRole('region', { name: 'Reports and scans' });
  await expect(files.getByTestId('timeline-attachment')).toHaveCount(1);
  await expect(files).toContainText('Haemoglobin - outside lab');
  const visitLine = dr.getByTestId('timeline-visit').first();
  await expect(visitLine).toContainText(/Outside lab report attached \(Haemoglobin - outside lab, \d{1,2} [A-Z][a-z]{2} \d{4}\)/);
  // Words stand for the value: the test's unit does not follow them.
  await expect(visitLine).toContainText(/Haemoglobin: See attached report(?! g\/dL)/);
  await dr.screenshot({ path: `${SHOTS}/timeline.png` });
});

test('the file uploads but the result is refused (the doctor cancelled the test meanwhile): the dialog says the file is kept, and trying again does not send it twice', async ({ page, host }) => {
  const { doctor, orderIds, patientId } = await labOrdered(host, ['HB']);
  const orderId = orderIds[0]!;
  expect((await host.api('labs.collect', { orderId }, doctor)).ok).toBe(true);
  await page.goto(host.url);
  await logIn(page, 'lata', 'lata-pass-1');
  await page.keyboard.press('F12');
  await page.getByRole('button', { name: 'Outside report: Haemoglobin for Ramesh Kulkarni' }).click();
  const dialog = page.getByRole('dialog', { name: 'Outside report: Haemoglobin for Ramesh Kulkarni' });
  await dialog.getByLabel('Report file').setInputFiles({ name: 'hb.pdf', mimeType: 'application/pdf', buffer: makePdf('CITY LAB HB 12.9') });

  expect((await host.api('labs.cancel', { orderId, reason: 'Patient went to another lab' }, doctor)).ok).toBe(true);
  await dialog.getByRole('button', { name: 'Save result' }).click();
  const alert = dialog.getByRole('alert');
  await expect(alert).toContainText("The file is attached to Ramesh Kulkarni's record, but the result was not saved: This test was cancelled (Patient went to another lab)");
  // The row has moved to "Cancelled"; the dialog stays, with the uploaded file chosen for the retry.
  await expect(page.getByRole('region', { name: 'Cancelled' })).toContainText('Patient went to another lab');
  await expect(dialog.getByLabel('Report', { exact: true })).toHaveValue(/.+/);
  await page.screenshot({ path: `${SHOTS}/half-done.png` });

  // Trying again records only: a second upload would be refused as "already attached".
  await dialog.getByRole('button', { name: 'Save result' }).click();
  await expect(alert).toContainText('This test was cancelled');
  await expect(alert).not.toContainText('already attached');
  const files = await host.api('attachments.list', { patientId }, doctor);
  expect(files.value).toHaveLength(1);
});
