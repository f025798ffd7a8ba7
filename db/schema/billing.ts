import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { syncColumns } from './common';

export { PAYMENT_MODES, SERVICE_KINDS, type PaymentMode, type ServiceKind } from '../../shared/enums';
export { SUPPLY_KINDS, CREDIT_NOTE_KINDS, type SupplyKind, type CreditNoteKind } from '../../shared/enums';
import type { CreditNoteKind, PaymentMode, ServiceKind, SupplyKind } from '../../shared/enums';
import type { InvoiceTotals } from '../../shared/money';

/** Services the clinic bills (procedures, packages, other); consultations, tests and medicines price themselves. */
export const priceList = sqliteTable(
  'price_list',
  {
    ...syncColumns(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    kind: text('kind').$type<ServiceKind>().notNull(),
    /** SAC for services, HSN for goods. */
    sacHsn: text('sac_hsn'),
    /** Basis points: 0 = exempt / nil, 500 = 5%, 1200 = 12%, 1800 = 18%. */
    gstRateBp: integer('gst_rate_bp').notNull().default(0),
    pricePaise: integer('price_paise').notNull(),
    /** True when the price already includes GST (medicines at MRP). */
    taxInclusive: integer('tax_inclusive', { mode: 'boolean' }).notNull().default(false),
    /** taxable / exempt / nil / non-gst; null (items saved before 0022): taxable with a rate, else exempt. */
    supplyKind: text('supply_kind').$type<SupplyKind>(),
    /** The notification entry an exempt item relies on (printed on the bill). */
    exemptionNote: text('exemption_note'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [uniqueIndex('price_list_code_uq').on(t.code)],
);

export interface InvoiceLine {
  kind: ServiceKind;
  /** What the line refers to: a price-list item, lab test, drug or doctor (for consultations). */
  refId: string | null;
  description: string;
  sacHsn: string | null;
  quantity: number;
  ratePaise: number;
  /** Before tax, on this line. */
  discountPaise: number;
  gstRateBp: number;
  taxInclusive: boolean;
  /** Absent on lines written before supply kinds (taxable with a rate, else exempt). */
  supplyKind?: SupplyKind;
  /** The notification entry an exempt line relies on. */
  exemptionNote?: string | null;
  /** Filled when the invoice is issued (the figures printed). */
  taxablePaise?: number;
  cgstPaise?: number;
  sgstPaise?: number;
  totalPaise?: number;
}

/** The totals fixed on an issued invoice: the same figures shared/money.ts computes. */
export type { InvoiceTotals };

/**
 * An invoice (or bill of supply when every line is exempt). A draft has no number; issuing gives it
 * the next number of this workstation's series for the financial year and fixes its lines and totals.
 * A void invoice keeps its number. Paid, partly paid and due are computed from payments and refunds.
 */
export const invoices = sqliteTable(
  'invoices',
  {
    ...syncColumns(),
    /** e.g. "2627/A/000123": FY 2026-27, series A. At most 16 characters (GST rule 46). */
    invoiceNumber: text('invoice_number'),
    financialYear: text('financial_year'),
    patientId: text('patient_id').notNull(),
    visitId: text('visit_id'),
    doctorId: text('doctor_id'),
    status: text('status').$type<'draft' | 'issued' | 'void'>().notNull(),
    lines: text('lines', { mode: 'json' }).$type<InvoiceLine[]>().notNull().default([]),
    discountKind: text('discount_kind').$type<'amount' | 'percent'>(),
    /** Paise for 'amount', basis points for 'percent'. */
    discountValue: integer('discount_value'),
    discountReason: text('discount_reason'),
    discountApprovedBy: text('discount_approved_by'),
    /** The discount_approvals row, signed by discount_approved_by, that covers this bill's discount. */
    discountApprovalId: text('discount_approval_id'),
    totals: text('totals', { mode: 'json' }).$type<InvoiceTotals>(),
    issuedAt: integer('issued_at'),
    issuedBy: text('issued_by'),
    /** The workstation whose series numbered it (device_id changes with every later edit). */
    issuedDeviceId: text('issued_device_id'),
    /** YYYY-MM-DD in the clinic's time zone, for the day-end and the FY. */
    issuedOn: text('issued_on'),
    voidReason: text('void_reason'),
    voidedAt: integer('voided_at'),
    voidedBy: text('voided_by'),
  },
  (t) => [
    uniqueIndex('invoices_number_uq').on(t.invoiceNumber),
    index('invoices_patient_idx').on(t.patientId, t.createdAt),
    index('invoices_visit_idx').on(t.visitId),
    index('invoices_day_idx').on(t.issuedOn),
  ],
);

/** Insert-only: money received. An advance has no invoice until it is used. */
export const payments = sqliteTable(
  'payments',
  {
    ...syncColumns(),
    invoiceId: text('invoice_id'),
    patientId: text('patient_id').notNull(),
    mode: text('mode').$type<PaymentMode>().notNull(),
    amountPaise: integer('amount_paise').notNull(),
    /** UTR/RRN for UPI and cards, cheque or claim numbers otherwise. */
    reference: text('reference'),
    receivedBy: text('received_by').notNull(),
    /** YYYY-MM-DD, clinic time: the day-end this payment belongs to. */
    receivedOn: text('received_on').notNull(),
    receiptNumber: text('receipt_number').notNull(),
  },
  (t) => [index('payments_invoice_idx').on(t.invoiceId), index('payments_day_idx').on(t.receivedOn, t.deviceId), index('payments_patient_idx').on(t.patientId)],
);

/** One line of a bill taken back by a refund, with the tax it reverses. */
export interface RefundLine {
  /** Index in the invoice's lines. */
  line: number;
  description: string;
  sacHsn: string | null;
  supplyKind: SupplyKind;
  gstRateBp: number;
  exemptionNote?: string | null;
  /** Units given back; null for an amount against the line. */
  quantity: number | null;
  amountPaise: number;
  taxablePaise: number;
  cgstPaise: number;
  sgstPaise: number;
}

/**
 * Insert-only: money given back. Against an invoice (up to what was paid on it), or, with no
 * invoice, out of the patient's unused advance (up to what is left of it).
 */
export const refunds = sqliteTable(
  'refunds',
  {
    ...syncColumns(),
    invoiceId: text('invoice_id'),
    patientId: text('patient_id').notNull(),
    mode: text('mode').$type<PaymentMode>().notNull(),
    amountPaise: integer('amount_paise').notNull(),
    reason: text('reason').notNull(),
    refundedBy: text('refunded_by').notNull(),
    refundedOn: text('refunded_on').notNull(),
    /**
     * The bill's lines this refund takes back. [] (by design none): money paid beyond the bill, or a
     * credit kept as advance. Null: a refund of an advance (no invoice), or, on an invoice, a refund
     * from before refunds by line, whose credit is worked out on reading (billing/ledger.ts).
     */
    lines: text('lines', { mode: 'json' }).$type<RefundLine[]>(),
    /** What the bill no longer comes to because of this refund (the lines' amounts, and the round-off on the last). */
    creditedPaise: integer('credited_paise').notNull().default(0),
  },
  (t) => [index('refunds_invoice_idx').on(t.invoiceId), index('refunds_day_idx').on(t.refundedOn, t.deviceId), index('refunds_patient_idx').on(t.patientId)],
);

/** A closed day on one workstation: the counted cash and the totals as they stood. */
export const dayEnds = sqliteTable(
  'day_ends',
  {
    ...syncColumns(),
    date: text('date').notNull(),
    workstationId: text('workstation_id').notNull(),
    openingCashPaise: integer('opening_cash_paise').notNull(),
    /** Notes and coins counted: { "500": 12, "100": 7, ... } in rupees -> count. */
    denominations: text('denominations', { mode: 'json' }).$type<Record<string, number>>().notNull(),
    countedCashPaise: integer('counted_cash_paise').notNull(),
    expectedCashPaise: integer('expected_cash_paise').notNull(),
    differencePaise: integer('difference_paise').notNull(),
    summary: text('summary', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    closedBy: text('closed_by').notNull(),
    /** Why the counted cash differs from the expected (required when it does; null when it tallies, and on days closed before this column). */
    differenceReason: text('difference_reason'),
  },
  (t) => [uniqueIndex('day_ends_day_uq').on(t.date, t.workstationId)],
);

/**
 * Insert-only: a number handed out. Issuing an invoice writes one row here in the same transaction
 * as the invoice's update, so a number, once given, is on every desk for good even when the
 * invoice row's `invoice_number` (last writer wins) ends up holding another desk's number. The
 * invoice keeps the number its merged row holds; any other issue row of the same invoice is a
 * number voided ("issued twice while offline"), listed with the rest of its series.
 */
export const invoiceIssues = sqliteTable(
  'invoice_issues',
  {
    ...syncColumns(),
    invoiceId: text('invoice_id').notNull(),
    invoiceNumber: text('invoice_number').notNull(),
    financialYear: text('financial_year').notNull(),
    /** The series letter of the number (the desk that numbered it): "A" in 2627/A/000001. */
    series: text('series').notNull(),
    /** The workstation that numbered it; null for numbers given before workstations were recorded. */
    issuedDeviceId: text('issued_device_id'),
    /** YYYY-MM-DD in the clinic's time zone. */
    issuedOn: text('issued_on').notNull(),
    issuedAt: integer('issued_at').notNull(),
    issuedBy: text('issued_by'),
    /** The totals as issued with this number. */
    totalPaise: integer('total_paise').notNull(),
    totals: text('totals', { mode: 'json' }).$type<InvoiceTotals>(),
  },
  (t) => [index('invoice_issues_invoice_idx').on(t.invoiceId), index('invoice_issues_day_idx').on(t.issuedOn, t.series), index('invoice_issues_number_idx').on(t.invoiceNumber)],
);

/**
 * Insert-only: a credit note (a refund that takes back a taxable line: CGST Act s.34, rule 53(1A))
 * or a refund voucher (exempt, nil-rated or non-GST lines only). Numbered in the workstation's own
 * series per financial year and kind ("2627/A/C00001", "2627/A/V00001": at most 16 characters),
 * in the same transaction as its refund, so a number is never lost or given twice.
 */
export const creditNotes = sqliteTable(
  'credit_notes',
  {
    ...syncColumns(),
    kind: text('kind').$type<CreditNoteKind>().notNull(),
    number: text('number').notNull(),
    financialYear: text('financial_year').notNull(),
    series: text('series').notNull(),
    issuedDeviceId: text('issued_device_id').notNull(),
    /** YYYY-MM-DD in the clinic's time zone. */
    issuedOn: text('issued_on').notNull(),
    issuedAt: integer('issued_at').notNull(),
    issuedBy: text('issued_by').notNull(),
    refundId: text('refund_id').notNull(),
    invoiceId: text('invoice_id').notNull(),
    patientId: text('patient_id').notNull(),
    /** The original invoice's number and date, as the note must name them. */
    invoiceNumber: text('invoice_number').notNull(),
    invoiceDate: text('invoice_date').notNull(),
    reason: text('reason').notNull(),
    lines: text('lines', { mode: 'json' }).$type<RefundLine[]>().notNull(),
    taxablePaise: integer('taxable_paise').notNull(),
    cgstPaise: integer('cgst_paise').notNull(),
    sgstPaise: integer('sgst_paise').notNull(),
    /** The bill's round-off given back with its last line. */
    roundOffPaise: integer('round_off_paise').notNull(),
    totalPaise: integer('total_paise').notNull(),
  },
  (t) => [
    index('credit_notes_invoice_idx').on(t.invoiceId),
    index('credit_notes_day_idx').on(t.issuedOn, t.issuedDeviceId),
    index('credit_notes_number_idx').on(t.number),
  ],
);

/**
 * Insert-only: an administrator's approval of a discount above the counter's limit, written (and
 * signed) in the approver's own name when their password is typed at the desk: the password unwraps
 * their signing key there, so no desk can claim an approval the approver did not give. The invoice
 * names it (discount_approval_id); the rule book on the desk and the server check it covers the
 * bill's discount (shared/sync-rules-billing.ts).
 */
export const discountApprovals = sqliteTable(
  'discount_approvals',
  {
    ...syncColumns(),
    invoiceId: text('invoice_id').notNull(),
    approvedBy: text('approved_by').notNull(),
    /** Line discounts plus the bill discount approved, and the bill's gross it was approved on. */
    discountPaise: integer('discount_paise').notNull(),
    grossPaise: integer('gross_paise').notNull(),
    approvedAt: integer('approved_at').notNull(),
  },
  (t) => [index('discount_approvals_invoice_idx').on(t.invoiceId)],
);
