import fs from 'node:fs';
import { expect, logIn, setUpClinic, test, type Host } from './fixtures';

test.use({ viewport: { width: 1366, height: 768 } });

const SHOTS = '/tmp/shots-pharmstock';
const PARACETAMOL_BARCODE = '8901234567890';

/** The clinic's day (India), and a day some days on. */
function istDay(offsetDays = 0): string {
  return new Date(Date.now() + 5.5 * 3600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A pharmacist, two stocked drugs' worth of formulary, a supplier, an item barcode, and cetirizine
 * that expires in 20 days and went below zero, and another cetirizine batch expiring in 25 days: the one strip left sold at this desk while desk 2,
 * offline, sold two more (recorded as the ledger would receive it: a movement taking them away).
 */
async function arrange(host: Host) {
  const admin = await setUpClinic(host);
  expect((await host.api('staff.create', { username: 'pooja', fullName: 'Pooja Kulkarni', password: 'pooja-password', roles: ['pharmacist'] }, admin)).ok).toBe(true);
  const drug = async (genericName: string, brand: string) =>
    (await host.api('formulary.upsert', { genericName, brandNames: [brand], form: 'tablet', strength: '500 mg', route: 'oral', schedule: null, hsnCode: '3004', gstRateBp: 1200 }, admin)).value.id as string;
  const pcm = await drug('Paracetamol', 'Calpol');
  const cetirizine = await drug('Cetirizine', 'Okacet');
  expect((await host.api('pharmacy.saveItem', { drugId: pcm, reorderLevel: 200, barcode: PARACETAMOL_BARCODE }, admin)).ok).toBe(true);
  const supplier = await host.api('pharmacy.saveSupplier', { name: 'Pune Pharma Distributors', gstin: '27AAACP1234A1Z5', drugLicences: ['MH-PZ1-123456'] }, admin);
  const bought = await host.api(
    'pharmacy.purchase',
    { supplierId: supplier.value.id, supplierInvoice: 'PPD/0001', invoiceDate: istDay(), lines: [{ drugId: cetirizine, batchNumber: 'C-12', expiry: istDay(20), mrpPaise: 3000, ratePaise: 2000, packSize: 10, gstRateBp: 1200, packs: 1 }] },
    admin,
  );
  expect(bought.ok).toBe(true);
  const batchId = bought.value.lines[0].batchId as string;
  expect((await host.api('pharmacy.dispense', { lines: [{ drugId: cetirizine, quantity: 10 }] }, admin)).ok).toBe(true);
  expect((await host.api('pharmacy.adjust', { batchId, quantity: -2, reason: 'sold offline at desk 2' }, admin)).ok).toBe(true);
  // A fresh box of cetirizine that is near its expiry too: 25 days left.
  const more = await host.api(
    'pharmacy.purchase',
    { supplierId: supplier.value.id, supplierInvoice: 'PPD/0002', invoiceDate: istDay(), lines: [{ drugId: cetirizine, batchNumber: 'C-14', expiry: istDay(25), mrpPaise: 3000, ratePaise: 2000, packSize: 10, gstRateBp: 1200, packs: 1 }] },
    admin,
  );
  expect(more.ok).toBe(true);
}

test('the pharmacist enters a purchase by keyboard with a scanned barcode, sees and adjusts the stock, negative stock and the near-expiry alert', async ({ page, host }) => {
  test.setTimeout(180_000);
  fs.mkdirSync(SHOTS, { recursive: true });
  await arrange(host);
  await page.goto(host.url);
  await logIn(page, 'pooja', 'pooja-password');
  await expect(page.getByTestId('current-user')).toHaveText('Pooja Kulkarni');
  await page.keyboard.press('Shift+F11');
  await expect(page.getByRole('heading', { name: 'Stock', exact: true })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' })).toContainText('Shift+F11');

  // The supplier's invoice, then the scanner types the strip's barcode and Enter.
  await page.getByLabel('Supplier', { exact: true }).focus();
  await page.getByLabel('Supplier', { exact: true }).selectOption({ label: 'Pune Pharma Distributors (27AAACP1234A1Z5)' });
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Supplier invoice no.')).toBeFocused();
  await page.keyboard.type('PPD/2627/0456');
  await page.getByLabel('Scan barcode').focus();
  await page.keyboard.type(PARACETAMOL_BARCODE);
  await page.keyboard.press('Enter');
  await expect(page.getByText('Drug: PARACETAMOL 500 mg tablet')).toBeVisible();
  await expect(page.getByLabel('Batch no.')).toBeFocused();
  for (const [text, next] of [['B-2401', 'Expiry'], ['06/30', 'Pack size'], ['10', 'Packs'], ['10', 'Free'], ['1', 'Rate'], ['15.00', 'MRP'], ['25.00', 'Disc %'], ['10', 'GST %']] as const) {
    await page.keyboard.type(text);
    await page.keyboard.press('Tab');
    await expect(page.getByLabel(next, { exact: true })).toBeFocused();
  }
  await page.getByLabel('GST %').selectOption('12%');
  await page.getByLabel('HSN').focus();
  await page.keyboard.press('Enter');
  // 10 packs × ₹15 = ₹150, less 10% = ₹135 taxable, GST 12% = ₹16.20, ₹151.20 in all; the free pack costs nothing.
  const lines = page.getByRole('table', { name: 'Purchase lines' });
  await expect(lines).toContainText('B-2401');
  await expect(lines).toContainText('2030-06-30');
  await expect(page.getByLabel('Total in all')).toHaveText('₹151.20');
  await expect(page.getByLabel('Scan barcode')).toBeFocused();
  await page.screenshot({ path: `${SHOTS}/purchases.png`, fullPage: true });
  await page.keyboard.press('Control+Enter');
  const saved = page.getByRole('status', { name: 'Purchase saved' });
  await expect(saved).toContainText('Taxable ₹135.00, GST ₹16.20, total ₹151.20');
  await expect(lines).toContainText('No lines yet');

  // Stock: cetirizine's negative batch first, in red; paracetamol's 11 packs of 10.
  await page.keyboard.press('Alt+2');
  const negative = page.getByRole('region', { name: 'Negative stock' });
  await expect(negative).toContainText('Cetirizine 500 mg');
  await expect(negative).toContainText('-2 units');
  await page.getByLabel('Find an item').click();
  await page.keyboard.type('para');
  // Enter at once, before the list has answered "para": it opens paracetamol, never the first item
  // of the list still shown for the empty search (cetirizine), as it did on a loaded machine.
  await page.getByLabel('Find an item').press('Enter');
  const batches = page.getByRole('table', { name: 'Batches' });
  await expect(batches).toContainText('B-2401');
  await expect(page.getByRole('list', { name: 'Items in stock' })).toHaveText(/Paracetamol 500 mg tablet — 110 units/);
  await page.getByRole('button', { name: 'Adjust batch B-2401' }).click();
  await expect(page.getByLabel('Units (+ found, − missing or broken)')).toBeFocused();
  await page.keyboard.type('-3');
  await page.keyboard.press('Tab');
  await page.keyboard.type('strip torn while unpacking');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(batches.getByRole('row', { name: /B-2401/ })).toContainText('107');
  await page.screenshot({ path: `${SHOTS}/stock.png`, fullPage: true });

  // Count and correct the negative batch: the shelf has none.
  await negative.getByRole('button', { name: 'Count and correct' }).click();
  await page.keyboard.type('0');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: 'Negative stock' })).toHaveCount(0);

  // Alerts: cetirizine C-14 expires within 30 days; paracetamol is under its reorder level of 200.
  await page.keyboard.press('Alt+3');
  await expect(page.getByRole('table', { name: 'Expiring within 30 days' })).toContainText(`Cetirizine 500 mgC-14${istDay(25)}10`);
  await expect(page.getByRole('table', { name: 'Items below reorder level' })).toContainText('Paracetamol 500 mg tablet107200');
  await page.screenshot({ path: `${SHOTS}/alerts.png`, fullPage: true });
  await page.keyboard.press('Alt+4');
  await expect(page.getByRole('table', { name: 'Valuation by item' })).toContainText('Paracetamol 500 mg');
  await expect(page.getByRole('table', { name: 'Purchases received' })).toContainText('PPD/2627/0456');
  await page.screenshot({ path: `${SHOTS}/reports.png`, fullPage: true });
  await page.keyboard.press('Alt+5');
  await expect(page.getByRole('table', { name: 'Suppliers' })).toContainText('MH-PZ1-123456');
  await page.screenshot({ path: `${SHOTS}/suppliers.png`, fullPage: true });
});
