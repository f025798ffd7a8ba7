import { expect, logIn, setUpClinic, test, type Host } from './fixtures';
import type { Page } from '@playwright/test';

test.use({ viewport: { width: 1366, height: 768 } });

const PARACETAMOL_BARCODE = '8901234567890';

/** The clinic's day (India). */
function istDay(): string {
  return new Date(Date.now() + 5.5 * 3600_000).toISOString().slice(0, 10);
}

/** A pharmacist, paracetamol with a barcode and 50 tablets in stock, a supplier. */
async function arrange(host: Host) {
  const admin = await setUpClinic(host);
  expect((await host.api('staff.create', { username: 'pooja', fullName: 'Pooja Kulkarni', password: 'pooja-password', roles: ['pharmacist'] }, admin)).ok).toBe(true);
  const drug = async (strength: string) =>
    (await host.api('formulary.upsert', { genericName: 'Paracetamol', brandNames: ['Zyxpara'], form: 'tablet', strength, route: 'oral', schedule: null, hsnCode: '3004', gstRateBp: 1200 }, admin)).value.id as string;
  const pcm = await drug('500 mg');
  expect((await host.api('pharmacy.saveItem', { drugId: pcm, reorderLevel: 200, barcode: PARACETAMOL_BARCODE }, admin)).ok).toBe(true);
  const supplierId = (await host.api('pharmacy.saveSupplier', { name: 'Pune Pharma Distributors', gstin: '27AAACP1234A1Z5', drugLicences: [] }, admin)).value.id as string;
  const buy = (drugId: string, invoice: string, batchNumber: string) =>
    host.api('pharmacy.purchase', { supplierId, supplierInvoice: invoice, invoiceDate: istDay(), lines: [{ drugId, batchNumber, expiry: '2099-01-31', mrpPaise: 2500, ratePaise: 1500, packSize: 10, gstRateBp: 1200, packs: 5 }] }, admin);
  expect((await buy(pcm, 'PPD/0001', 'P-1')).ok).toBe(true);
  return { admin, pcm, drug, buy };
}

/**
 * Ctrl+Enter twice within one moment, as a key pressed twice or held: both keydowns are delivered
 * before the screen has re-rendered (the worst case, which a quick double press hits on a loaded
 * desk). Sent to whatever has the focus, like the keyboard does.
 */
async function ctrlEnterTwice(page: Page) {
  // A string: the page's DOM types are not in the test's compiler settings.
  await page.evaluate(`(() => {
    const target = document.activeElement ?? document.body;
    for (let i = 0; i < 2; i++) target.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', ctrlKey: true, bubbles: true, cancelable: true }));
  })()`);
}

async function onHand(host: Host, admin: string, drugId: string): Promise<number> {
  return (await host.api('pharmacy.stock', { drugId }, admin)).value.onHand as number;
}

test('Ctrl+Enter pressed twice sells over the counter once: one sale, stock taken off once', async ({ page, host }) => {
  test.setTimeout(180_000);
  const { admin, pcm } = await arrange(host);
  await page.goto(host.url);
  await logIn(page, 'pooja', 'pooja-password');
  await expect(page.getByTestId('current-user')).toHaveText('Pooja Kulkarni');
  await page.keyboard.press('F11');
  await page.getByRole('tab', { name: 'Over the counter' }).click();
  const otc = page.getByRole('region', { name: 'Over the counter' });
  await otc.getByLabel('Add medicine').fill('zyxpara');
  await expect(page.getByRole('option').first()).toContainText('PARACETAMOL 500 mg tablet (Zyxpara)');
  await page.keyboard.press('Enter');
  await otc.getByLabel('Units of Paracetamol').fill('4');
  await ctrlEnterTwice(page);
  const sold = page.getByRole('region', { name: 'Sold here' });
  await expect(sold.getByTestId('sale')).toContainText('4 given');
  // The second press found the sale still being made and did nothing: it did not sell again, nor
  // complain that there is nothing to sell.
  await expect(sold.getByTestId('sale')).toHaveCount(1);
  await expect(otc).not.toContainText('Add a medicine first.');
  expect((await host.api('pharmacy.sales', {}, admin)).value).toHaveLength(1);
  expect(await onHand(host, admin, pcm)).toBe(46);
});

test("Ctrl+Enter pressed twice records the purchase once, and the item opened in Stock stays open with what is typed while another desk's changes arrive", async ({ page, host }) => {
  test.setTimeout(240_000);
  const { admin, pcm, drug, buy } = await arrange(host);
  await page.goto(host.url);
  await logIn(page, 'pooja', 'pooja-password');
  await expect(page.getByTestId('current-user')).toHaveText('Pooja Kulkarni');
  await page.keyboard.press('Shift+F11');
  await expect(page.getByRole('heading', { name: 'Stock', exact: true })).toBeVisible();

  await page.getByLabel('Supplier', { exact: true }).selectOption({ label: 'Pune Pharma Distributors (27AAACP1234A1Z5)' });
  await page.getByLabel('Supplier invoice no.').fill('PPD/2627/0456');
  await page.getByLabel('Scan barcode').focus();
  await page.keyboard.type(PARACETAMOL_BARCODE);
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Batch no.')).toBeFocused();
  for (const [text, next] of [['B-2401', 'Expiry'], ['06/30', 'Pack size'], ['10', 'Packs'], ['10', 'Free'], ['0', 'Rate'], ['15.00', 'MRP'], ['25.00', 'Disc %']] as const) {
    await page.keyboard.type(text);
    await page.keyboard.press('Tab');
    await expect(page.getByLabel(next, { exact: true })).toBeFocused();
  }
  await page.getByLabel('GST %').selectOption('12%');
  await page.getByLabel('HSN').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('table', { name: 'Purchase lines' })).toContainText('B-2401');
  await ctrlEnterTwice(page);
  await expect(page.getByRole('status', { name: 'Purchase saved' })).toContainText('total');
  // One purchase: 10 packs of 10 on top of the 50, once.
  const register = await host.api('pharmacy.purchaseRegister', { from: istDay(), to: istDay() }, admin);
  expect(register.value.purchases.map((p: { supplierInvoice: string }) => p.supplierInvoice).sort()).toEqual(['PPD/0001', 'PPD/2627/0456']);
  expect(await onHand(host, admin, pcm)).toBe(150);
  // The second Ctrl+Enter was never sent (not merely refused by the service's duplicate check).
  const audit = await host.api('audit.list', { action: 'pharmacy.purchase' }, admin);
  expect(audit.value.rows.filter((r: { outcome: string }) => r.outcome !== 'ok')).toEqual([]);

  // Stock: Enter at once opens paracetamol 500 mg; a reorder level is being typed.
  await page.keyboard.press('Alt+2');
  await page.getByLabel('Find an item').click();
  await page.keyboard.type('para');
  await page.getByLabel('Find an item').press('Enter');
  const batches = page.getByRole('table', { name: 'Batches' });
  await expect(batches).toContainText('B-2401');
  await page.getByLabel('Reorder level (units)').fill('350');
  // Meanwhile another desk receives paracetamol 250 mg, which sorts first, and sells from 500 mg:
  // every desk's lists reload.
  const pcm250 = await drug('250 mg');
  expect((await buy(pcm250, 'PPD/0003', 'Q-1')).ok).toBe(true);
  expect((await host.api('pharmacy.dispense', { lines: [{ drugId: pcm, quantity: 2 }] }, admin)).ok).toBe(true);
  const list = page.getByRole('list', { name: 'Items in stock' });
  await expect(list).toContainText('Paracetamol 250 mg tablet — 50 units');
  await expect(list).toContainText('Paracetamol 500 mg tablet — 148 units');
  // Still paracetamol 500 mg, with the level as typed, and its new figure.
  await expect(page.getByRole('region', { name: 'Batches of Paracetamol 500 mg tablet' })).toContainText('On hand: 148 units');
  await expect(batches).toContainText('B-2401');
  await expect(page.getByLabel('Reorder level (units)')).toHaveValue('350');
  await page.screenshot({ path: '/tmp/shots-pharm-fix/stock-kept.png', fullPage: true });
});
