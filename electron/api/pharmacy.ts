import { z } from 'zod';
import { GST_RATES_BP } from '../../shared/money';
import {
  listSuppliers,
  recordPurchase,
  returnToSupplier,
  saveSupplier,
  stockOf,
  writeOffExpired,
  adjustStock,
  saveItem,
  byBarcode,
} from '../services/pharmacy';
import { method } from './contract';
import { id, isoDate, optionalText, paise, phoneNumber, requiredText } from './fields';
import { lineText } from './text';

/* The pharmacy's stock: suppliers, purchases, returns to suppliers, corrections (docs/PHARMACY.md). */

export const units = (label: string) =>
  z.number({ error: `${label} is required` }).int(`${label} must be a whole number of units`).min(1, `${label} must be at least 1`).max(1_000_000, `${label} is too large`);

export const gstRate = z
  .number({ error: 'GST rate is required' })
  .int('GST rate must be in basis points')
  .refine((v) => (GST_RATES_BP as readonly number[]).includes(v), `GST rate must be one of ${GST_RATES_BP.map((r) => `${r / 100}%`).join(', ')}`);

const gstin = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? null : typeof v === 'string' ? v.trim().toUpperCase() : v),
  lineText('GSTIN')
    .regex(/^\d{2}[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/, 'GSTIN must be 15 characters: state code, PAN, entity, Z, check character')
    .nullish(),
);

const purchaseLine = z.object({
  drugId: id('Drug'),
  batchNumber: requiredText('Batch number', 30),
  expiry: isoDate('Expiry'),
  // Bounded so a line's money stays exact: at most ₹1,00,000 a pack and 1,00,000 packs.
  mrpPaise: paise('MRP').min(1, 'MRP is required').max(10_000_000, 'MRP must be at most ₹1,00,000 a pack'),
  ratePaise: paise('Purchase rate').max(10_000_000, 'Purchase rate must be at most ₹1,00,000 a pack'),
  packSize: units('Pack size').max(10_000, 'Pack size must be at most 10,000 units'),
  gstRateBp: gstRate,
  hsnCode: optionalText('HSN code', 8),
  barcode: optionalText('Barcode', 64),
  packs: units('Packs').max(100_000, 'Packs must be at most 1,00,000'),
  freePacks: z.number({ error: 'Free packs must be a number' }).int('Free packs must be whole packs').min(0, 'Free packs cannot be negative').max(100_000, 'Free packs must be at most 1,00,000').default(0),
  discountBp: z.number({ error: 'Discount must be a number' }).int('Discount must be in basis points').min(0, 'Discount cannot be negative').max(10_000, 'Discount cannot be over 100%').default(0),
});

const reason = requiredText('Reason', 200);

export const pharmacyMethods = {
  'pharmacy.suppliers': method({
    input: z.object({}),
    access: 'pharmacy.read',
    mutates: false,
    run: (ctx) => listSuppliers(ctx),
  }),
  /** Adds (no id) or edits a supplier. */
  'pharmacy.saveSupplier': method({
    input: z.object({
      id: id('Supplier').nullish(),
      name: requiredText('Supplier name', 120),
      gstin,
      drugLicences: z.array(requiredText('Drug licence number', 40)).max(4, 'At most 4 drug licence numbers').default([]),
      phone: phoneNumber('Phone'),
      address: optionalText('Address', 300),
      active: z.boolean().default(true),
    }),
    access: 'pharmacy.manage',
    mutates: true,
    run: (ctx, { id: supplierId, ...input }) => saveSupplier(ctx, supplierId, input),
  }),
  /** Goods received against the supplier's invoice: batches made or topped up, receipts in the ledger. */
  'pharmacy.purchase': method({
    input: z.object({
      supplierId: id('Supplier'),
      supplierInvoice: requiredText('Supplier invoice number', 40),
      invoiceDate: isoDate('Invoice date'),
      lines: z.array(purchaseLine).min(1, 'Add at least one line').max(200, 'At most 200 lines'),
    }),
    access: 'pharmacy.manage',
    mutates: true,
    run: (ctx, input) => recordPurchase(ctx, input),
  }),
  'pharmacy.returnToSupplier': method({
    input: z.object({ batchId: id('Batch'), quantity: units('Quantity'), reason }),
    access: 'pharmacy.manage',
    mutates: true,
    run: (ctx, input) => returnToSupplier(ctx, input),
  }),
  /** A counted correction (positive or negative units) with its reason. */
  'pharmacy.adjust': method({
    input: z.object({
      batchId: id('Batch'),
      quantity: z.number({ error: 'Quantity is required' }).int('Quantity must be whole units').min(-1_000_000).max(1_000_000).refine((v) => v !== 0, 'Quantity cannot be zero'),
      reason,
    }),
    access: 'pharmacy.manage',
    mutates: true,
    run: (ctx, input) => adjustStock(ctx, input),
  }),
  /** Writes off what is left of expired batches (all of them, or one). */
  'pharmacy.writeOffExpired': method({
    input: z.object({ batchId: id('Batch').optional() }),
    access: 'pharmacy.manage',
    mutates: true,
    run: (ctx, input) => writeOffExpired(ctx, input),
  }),
  'pharmacy.saveItem': method({
    input: z.object({ drugId: id('Drug'), reorderLevel: z.number({ error: 'Reorder level is required' }).int().min(0, 'Reorder level cannot be negative').max(1_000_000), barcode: optionalText('Barcode', 64) }),
    access: 'pharmacy.manage',
    mutates: true,
    run: (ctx, input) => saveItem(ctx, input),
  }),
  'pharmacy.stock': method({
    input: z.object({ drugId: id('Drug') }),
    access: 'pharmacy.read',
    mutates: false,
    run: (ctx, input) => stockOf(ctx, input.drugId),
  }),
  /** What a keyboard-wedge scanner typed: the batch or item it names. */
  'pharmacy.scan': method({
    input: z.object({ code: requiredText('Barcode', 64) }),
    access: 'pharmacy.read',
    mutates: false,
    run: (ctx, input) => byBarcode(ctx, input.code),
  }),
};
