import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { expect, logIn, setUpClinic, test } from './fixtures';

test.use({ viewport: { width: 1366, height: 768 } });

/**
 * The cashier's day (issue #15): a paid bill, one line of it refunded from the refund dialog by
 * keyboard (tick, units, reason, Enter), the credit note printed and saved as PDF, then the day
 * closed with a cash shortage, which the confirmation will not close without a reason; the
 * day-end shows the shortage, the reason and the credit note. The owner exports the month's GSTR-1,
 * which carries the credit note.
 */
test('the cashier refunds a line, prints the credit note and closes the day short with a reason; the owner exports the month', async ({ page, host, browser }) => {
  const admin = await setUpClinic(host);
  expect((await host.api('staff.create', { username: 'kiran', fullName: 'Kiran Rao', password: 'kiran-pass-1', roles: ['cashier'] }, admin)).ok).toBe(true);
  const reg = await host.api('patients.register', { patient: { givenName: 'Ramesh', familyName: 'Kulkarni', gender: 'male', ageYears: 58, mobile: '9823012345' } }, admin);
  const patientId = reg.value.patient.id as string;
  // ₹500 consultation (exempt) + two knee braces at ₹300 + 18% GST (₹708): ₹1,208, paid in cash.
  const lines = [
    { kind: 'consultation', description: 'Consultation', sacHsn: '999312', quantity: 1, ratePaise: 50_000 },
    { kind: 'procedure', description: 'Knee brace', sacHsn: '90211000', quantity: 2, ratePaise: 30_000, gstRateBp: 1800 },
  ];
  const draft = await host.api('billing.createInvoice', { patientId, lines }, admin);
  const issued = await host.api('billing.issueInvoice', { invoiceId: draft.value.id }, admin);
  expect(issued.value.totals.totalPaise).toBe(120_800);
  expect((await host.api('billing.recordPayment', { invoiceId: issued.value.id, parts: [{ mode: 'cash', amountPaise: 120_800 }] }, admin)).ok).toBe(true);
  const invoiceNumber = issued.value.invoiceNumber as string;

  await page.goto(host.url);
  await logIn(page, 'kiran', 'kiran-pass-1');
  await page.getByRole('link', { name: /Billing/ }).click();
  await page.getByLabel('Find patient').fill('Kulkarni');
  await expect(page.getByRole('listbox', { name: 'Search results' }).getByRole('option')).toHaveCount(1);
  await page.getByLabel('Find patient').press('Enter');
  await page.getByRole('region', { name: 'Bills of the patient' }).getByText(invoiceNumber).click();
  await expect(page.getByTestId('invoice-status')).toHaveText('paid');

  await test.step('refund one brace from the dialog, by keyboard', async () => {
    await page.keyboard.press('Alt+R');
    const dialog = page.getByRole('dialog', { name: `Refund lines of ${invoiceNumber}` });
    // The first line's box has the focus; Enter with nothing ticked names what is missing.
    await expect(dialog.getByRole('checkbox', { name: '1. Consultation' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(dialog.getByRole('alert').first()).toHaveText('Tick the lines taken back');
    await dialog.getByRole('checkbox', { name: '2. Knee brace' }).check();
    await expect(dialog.getByText('Tick the lines taken back')).toHaveCount(0);
    await expect(dialog.getByTestId('refund-line-1')).toContainText('2 of 2 · ₹708.00');
    await dialog.getByLabel('Line 2 units').fill('1');
    await expect(dialog.getByTestId('refund-taken')).toHaveText('₹354.00');
    await expect(dialog.getByTestId('refund-money')).toHaveText('Money back: ₹354.00');
    // At the clinic's usual screen nothing of the dialog is cut off.
    await expect(dialog.getByRole('button', { name: 'Refund ₹354.00' })).toBeInViewport({ ratio: 1 });
    await dialog.getByLabel('Line 2 units').press('Enter');
    await expect(dialog.getByText('Reason is required')).toBeVisible();
    await dialog.getByLabel('Reason').fill('Brace returned unused');
    await dialog.getByLabel('Reason').press('Enter');
    await expect(dialog).toHaveCount(0);
    await expect(page.getByTestId('invoice-status')).toHaveText('partly refunded');
    await expect(page.getByTestId('balance')).toHaveText('Paid in full, refunded in part (₹354.00)');
    await expect(page.getByTestId('line-1-refunded')).toHaveText('refunded 1 · ₹354.00');
  });

  await test.step('print the credit note and save it as PDF', async () => {
    const issuedNote = page.getByTestId('credit-note-issued');
    await expect(issuedNote).toContainText(/Credit Note \d{4}\/A\/C00001 issued\./);
    await issuedNote.getByRole('button', { name: 'Print credit note' }).click();
    const dialog = page.getByRole('dialog', { name: 'Credit note / refund voucher' });
    const download = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Save as PDF' }).click();
    const text = spawnSync('pdftotext', ['-layout', await (await download).path(), '-'], { encoding: 'utf8' }).stdout.replace(/[ \t]+/g, ' ');
    expect(text).toMatch(/Credit Note No\.: \d{4}\/A\/C00001/);
    expect(text).toContain(`Against invoice: ${invoiceNumber}`);
    expect(text).toContain('CGST reversed: 27.00');
    expect(text).toContain('Total credited: ₹354.00');
    await expect(dialog.getByTestId('document-status')).toHaveText('PDF saved');
    // Printed on the CUPS queue PDF (cups-pdf), as the receipt in billing.spec.ts.
    await dialog.getByLabel('Printer').selectOption('PDF');
    await dialog.getByRole('button', { name: 'Print' }).click();
    await expect(dialog.getByTestId('document-status')).toHaveText(/^Sent to PDF/, { timeout: 30_000 });
    await page.keyboard.press('Escape');
  });

  await test.step('the owner exports the month for the accountant', async () => {
    // The cashier has no reports; the owner (accounts role) exports, on the clinic's GSTIN.
    expect((await host.api('facility.save', { letterhead: { gstin: '27AAAPL1234C1Z5' } }, admin)).ok).toBe(true);
    expect((await host.api('staff.create', { username: 'owner', fullName: 'Vikram Shah', password: 'owner-pass-1', roles: ['accounts'] }, admin)).ok).toBe(true);
    const owner = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
    await owner.goto(host.url);
    await logIn(owner, 'owner', 'owner-pass-1');
    await owner.getByRole('link', { name: /Reports/ }).click();
    const gst = owner.getByRole('region', { name: 'GST export' });
    const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata' }).format(new Date()).slice(0, 7);
    await gst.getByLabel('GST month').fill(month);
    // The brace: 2 × ₹300 at 18%, one taken back by the credit note: ₹300 taxable, ₹27 + ₹27 tax.
    await expect(gst).toContainText('B2C (others), table 7: taxable ₹300.00, CGST ₹27.00, SGST ₹27.00');
    const download = owner.waitForEvent('download');
    await gst.getByRole('button', { name: 'Download GSTR-1 JSON' }).click();
    const json = JSON.parse(fs.readFileSync(await (await download).path(), 'utf8')) as Record<string, unknown>;
    expect(json).toMatchObject({
      gstin: '27AAAPL1234C1Z5',
      fp: `${month.slice(5)}${month.slice(0, 4)}`,
      b2cs: [{ sply_ty: 'INTRA', pos: '27', typ: 'OE', rt: 18, txval: 300, camt: 27, samt: 27 }],
      nil: { inv: [{ sply_ty: 'INTRB2C', expt_amt: 500 }] },
    });
    const docs = (json.doc_issue as { doc_det: { doc_num: number; docs: { totnum: number; cancel: number }[] }[] }).doc_det;
    expect(docs.find((d) => d.doc_num === 1)?.docs).toMatchObject([{ totnum: 1, cancel: 0 }]);
    expect(docs.find((d) => d.doc_num === 5)?.docs).toMatchObject([{ totnum: 1, cancel: 0 }]);
    await owner.context().close();
  });

  await test.step('close the day with a cash shortage and its reason', async () => {
    // Cash: ₹1,208 in, ₹354 back = ₹854 expected; ₹800 counted: ₹54 short.
    await page.getByRole('tab', { name: 'Day-end' }).click();
    await page.getByLabel('₹500 ×').fill('1');
    await page.getByLabel('₹100 ×').fill('3');
    await page.getByRole('button', { name: 'Show figures' }).click();
    const figures = page.getByRole('region', { name: 'Day-end figures' });
    await expect(figures.getByTestId('cash-difference')).toHaveText('Opening ₹0.00 · cash expected ₹854.00 · counted ₹800.00 · difference -₹54.00');
    await expect(figures.getByTestId('day-notes')).toContainText(invoiceNumber);
    await expect(figures.getByTestId('day-credit-notes-total')).toHaveText('Credit notes: 1₹300.00₹27.00₹27.00₹354.00');
    await figures.getByRole('button', { name: 'Close the day on this workstation' }).click();
    const confirm = page.getByRole('dialog', { name: /on this workstation\?/ });
    await expect(confirm.getByTestId('close-difference')).toHaveText('SHORT by ₹54.00');
    await confirm.getByRole('button', { name: 'Close the day' }).click();
    await expect(confirm).toContainText('Reason for the difference is required (SHORT by ₹54.00)');
    await confirm.getByLabel('Reason for the difference').fill('₹54 given as change twice');
    await confirm.getByRole('button', { name: 'Close the day' }).click();
    await expect(figures).toContainText('closed by Kiran Rao');
    await expect(figures.getByTestId('cash-difference')).toContainText('difference -₹54.00');
    await expect(figures.getByTestId('difference-reason')).toHaveText('Reason for the difference: ₹54 given as change twice');
  });
});
