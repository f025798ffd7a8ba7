import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { syncColumns } from './common';

export { STOCK_MOVEMENT_KINDS, DISPENSE_KINDS, type StockMovementKind, type DispenseKind } from '../../shared/enums';
import type { DispenseKind, StockMovementKind } from '../../shared/enums';

/*
 * The pharmacy (docs/PHARMACY.md). Stock is never a stored number: it is the sum of a batch's rows in
 * the insert-only ledger `stock_movements`, so movements made on two desks offline both count after
 * sync (and stock that went below zero shows as negative). Quantities are in units of the form
 * (tablets, capsules, bottles); money in paise; a batch's MRP and purchase rate are per pack.
 */

/** Where the clinic buys: the GSTIN and drug licence numbers print on the purchase register. */
export const suppliers = sqliteTable(
  'suppliers',
  {
    ...syncColumns(),
    name: text('name').notNull(),
    gstin: text('gstin'),
    /** Drug licence numbers (forms 20B/21B), as printed on the supplier's invoice. */
    drugLicences: text('drug_licences', { mode: 'json' }).$type<string[]>().notNull().default([]),
    phone: text('phone'),
    address: text('address'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [index('suppliers_name_idx').on(t.name)],
);

/** What the pharmacy keeps of a formulary drug: when to reorder, and its barcode. */
export const pharmacyItems = sqliteTable(
  'pharmacy_items',
  {
    ...syncColumns(),
    drugId: text('drug_id').notNull(),
    /** Units; below this the item is on the reorder list. */
    reorderLevel: integer('reorder_level').notNull().default(0),
    barcode: text('barcode'),
  },
  (t) => [index('pharmacy_items_drug_idx').on(t.drugId), index('pharmacy_items_barcode_idx').on(t.barcode)],
);

/** One batch of a formulary drug as received: its number, expiry and prices are the label's. */
export const stockBatches = sqliteTable(
  'stock_batches',
  {
    ...syncColumns(),
    drugId: text('drug_id').notNull(),
    batchNumber: text('batch_number').notNull(),
    /** YYYY-MM-DD: usable through this day. */
    expiry: text('expiry').notNull(),
    /** Per pack, tax included: the most a patient may be charged. */
    mrpPaise: integer('mrp_paise').notNull(),
    /** Per pack, before GST: what the clinic paid (stock valuation). */
    purchaseRatePaise: integer('purchase_rate_paise').notNull(),
    gstRateBp: integer('gst_rate_bp').notNull(),
    hsnCode: text('hsn_code'),
    /** Units in one pack (10 tablets in a strip; 1 bottle). */
    packSize: integer('pack_size').notNull(),
    barcode: text('barcode'),
  },
  (t) => [
    index('stock_batches_drug_expiry_idx').on(t.drugId, t.expiry),
    // FEFO's walk in order, no sort (services/pharmacy/stock.ts fefo): the quantity is covered after a batch or two.
    index('stock_batches_fefo_idx').on(t.drugId, t.expiry, t.createdAt, t.id),
    index('stock_batches_number_idx').on(t.drugId, t.batchNumber), index('stock_batches_barcode_idx').on(t.barcode)],
);

/** Goods received against a supplier's invoice. Insert-only: a mistake is put right with a purchase return. */
export const purchases = sqliteTable(
  'purchases',
  {
    ...syncColumns(),
    supplierId: text('supplier_id').notNull(),
    /** The supplier's own invoice number and date. */
    supplierInvoice: text('supplier_invoice').notNull(),
    invoiceDate: text('invoice_date').notNull(),
    receivedOn: text('received_on').notNull(),
    receivedBy: text('received_by').notNull(),
    grossPaise: integer('gross_paise').notNull(),
    discountPaise: integer('discount_paise').notNull(),
    taxablePaise: integer('taxable_paise').notNull(),
    gstPaise: integer('gst_paise').notNull(),
    totalPaise: integer('total_paise').notNull(),
  },
  (t) => [index('purchases_day_idx').on(t.receivedOn), index('purchases_supplier_idx').on(t.supplierId, t.supplierInvoice)],
);

/** One line of a purchase: packs bought at a rate, free packs, the discount and the GST on it. */
export const purchaseLines = sqliteTable(
  'purchase_lines',
  {
    ...syncColumns(),
    purchaseId: text('purchase_id').notNull(),
    batchId: text('batch_id').notNull(),
    drugId: text('drug_id').notNull(),
    packs: integer('packs').notNull(),
    freePacks: integer('free_packs').notNull().default(0),
    /** Per pack, before GST. */
    ratePaise: integer('rate_paise').notNull(),
    /** Trade discount in basis points of the gross (0 when none). */
    discountBp: integer('discount_bp').notNull().default(0),
    gstRateBp: integer('gst_rate_bp').notNull(),
    grossPaise: integer('gross_paise').notNull(),
    discountPaise: integer('discount_paise').notNull(),
    taxablePaise: integer('taxable_paise').notNull(),
    gstPaise: integer('gst_paise').notNull(),
    totalPaise: integer('total_paise').notNull(),
  },
  (t) => [index('purchase_lines_purchase_idx').on(t.purchaseId)],
);

/**
 * THE stock ledger: insert-only (triggers locally, `ledger` in the rule book for sync). `qty` is
 * signed units: + receipts and returns from patients, − dispenses, returns to suppliers, write-offs;
 * adjustments either way with a reason. `ref_table`/`ref_id` name what moved it.
 */
export const stockMovements = sqliteTable(
  'stock_movements',
  {
    ...syncColumns(),
    batchId: text('batch_id').notNull(),
    drugId: text('drug_id').notNull(),
    kind: text('kind').$type<StockMovementKind>().notNull(),
    qty: integer('qty').notNull(),
    reason: text('reason'),
    refTable: text('ref_table'),
    refId: text('ref_id'),
    /** Instant (ms UTC) and the person who moved it (the signer). */
    movedAt: integer('moved_at').notNull(),
    movedBy: text('moved_by').notNull(),
  },
  (t) => [index('stock_movements_batch_idx').on(t.batchId, t.qty), index('stock_movements_drug_idx').on(t.drugId, t.batchId, t.qty), index('stock_movements_ref_idx').on(t.refId)],
);

/** Medicines handed over: against a visit's prescription, or over the counter. Insert-only. */
export const dispenses = sqliteTable(
  'dispenses',
  {
    ...syncColumns(),
    kind: text('kind').$type<DispenseKind>().notNull(),
    patientId: text('patient_id'),
    visitId: text('visit_id'),
    prescriptionId: text('prescription_id'),
    /** The doctor (user id) whose prescription it was. */
    prescriberId: text('prescriber_id'),
    dispensedBy: text('dispensed_by').notNull(),
    dispensedOn: text('dispensed_on').notNull(),
  },
  (t) => [index('dispenses_prescription_idx').on(t.prescriptionId), index('dispenses_day_idx').on(t.dispensedOn), index('dispenses_visit_idx').on(t.visitId), index('dispenses_patient_idx').on(t.patientId)],
);

/** One drug from one batch in a dispense; a substitute names the drug prescribed. Insert-only. */
export const dispenseLines = sqliteTable(
  'dispense_lines',
  {
    ...syncColumns(),
    dispenseId: text('dispense_id').notNull(),
    prescriptionId: text('prescription_id'),
    /** Position of the item in the prescription's items. */
    itemIndex: integer('item_index'),
    drugId: text('drug_id').notNull(),
    batchId: text('batch_id').notNull(),
    qty: integer('qty').notNull(),
    /** The drug prescribed when another brand of the same generic, strength and form was given. */
    substitutedFrom: text('substituted_from'),
    /** The batch's MRP per pack and pack size, GST and HSN when dispensed (the bill's line). */
    mrpPaise: integer('mrp_paise').notNull(),
    packSize: integer('pack_size').notNull(),
    gstRateBp: integer('gst_rate_bp').notNull(),
    hsnCode: text('hsn_code'),
    description: text('description').notNull(),
  },
  (t) => [index('dispense_lines_dispense_idx').on(t.dispenseId), index('dispense_lines_prescription_idx').on(t.prescriptionId, t.itemIndex)],
);

/**
 * The Schedule H1 register (Drugs Rules, 1945, rule 65(3)): what was written when the drug was
 * given, kept as written (a later change of address does not rewrite it). Insert-only.
 */
export const h1Register = sqliteTable(
  'h1_register',
  {
    ...syncColumns(),
    dispenseLineId: text('dispense_line_id').notNull(),
    dispensedOn: text('dispensed_on').notNull(),
    patientName: text('patient_name').notNull(),
    patientAddress: text('patient_address').notNull(),
    prescriberName: text('prescriber_name').notNull(),
    prescriberRegistration: text('prescriber_registration'),
    drugName: text('drug_name').notNull(),
    batchNumber: text('batch_number').notNull(),
    qty: integer('qty').notNull(),
    dispensedBy: text('dispensed_by').notNull(),
  },
  (t) => [index('h1_register_day_idx').on(t.dispensedOn), index('h1_register_line_idx').on(t.dispenseLineId)],
);

/** Every pharmacy table, in the order sync applies them (db/sync-tables.ts). */
export const PHARMACY_TABLES = [suppliers, pharmacyItems, stockBatches, purchases, purchaseLines, stockMovements, dispenses, dispenseLines, h1Register];
