import { z } from 'zod';
import { PAYMENT_MODES, SERVICE_KINDS, SUPPLY_KINDS } from '../../db/schema';
import {
  advanceStatement,
  createInvoice,
  dayEnd,
  DENOMINATIONS,
  getBillingSettings,
  getInvoice,
  listDues,
  listInvoices,
  listPriceItems,
  recordPayment,
  recordRefund,
  keepCreditAsAdvance,
  listCredits,
  savePriceItem,
  setBillingSettings,
  suggestLines,
  updateInvoice,
  issueInvoice,
  voidInvoice,
} from '../services/billing';
import { invoiceBundle } from '../services/billing-fhir';
import { creditNotePdf, printCreditNote } from '../services/billing-credit-print';
import { dayEndPdf, invoicePdf, printInvoice, printReceipt, receiptPdf } from '../services/billing-print';
import { GST_RATES_BP, MAX_PAISE } from '../../shared/money';
import { method } from './contract';
import { id, isoDate, paise, requiredText } from './fields';
import { lineText, secretText } from './text';

const emptyToNull = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : v);

const gstRate = z
  .number({ error: 'GST rate is required' })
  .int('GST rate is in whole basis points')
  .refine((v) => (GST_RATES_BP as readonly number[]).includes(v), `GST rate must be one of ${GST_RATES_BP.join(', ')} basis points (500 = 5%)`);

const sacHsn = z.preprocess(
  emptyToNull,
  lineText('SAC/HSN').trim().regex(/^\d{4,8}$/, 'SAC/HSN must be 4 to 8 digits').nullish(),
);

const amount = (label: string) => paise(label).max(MAX_PAISE, `${label} is too large`);

const supplyKind = z.enum(SUPPLY_KINDS, { error: `Supply kind must be one of: ${SUPPLY_KINDS.join(', ')}` });
/** The notification entry an exempt supply relies on ("Notification 12/2017-Central Tax (Rate), entry 74"). */
const exemptionNote = z.preprocess(emptyToNull, lineText('Notification entry').trim().max(120, 'Notification entry is at most 120 characters').nullable());
const positiveAmount = (label: string) => amount(label).min(1, `${label} must be more than zero`);

const line = z.object({
  kind: z.enum(SERVICE_KINDS, { error: `Kind must be one of: ${SERVICE_KINDS.join(', ')}` }),
  refId: lineText('Reference').max(60).nullish(),
  description: requiredText('Description', 200),
  sacHsn,
  quantity: z.number({ error: 'Quantity is required' }).int('Quantity must be a whole number').min(1, 'Quantity must be at least 1').max(10_000, 'Quantity is at most 10,000'),
  ratePaise: amount('Rate'),
  discountPaise: amount('Discount').default(0),
  gstRateBp: gstRate.default(0),
  taxInclusive: z.boolean().default(false),
  supplyKind: supplyKind.optional(),
  exemptionNote: exemptionNote.optional(),
});

const discount = z
  .object({
    kind: z.enum(['amount', 'percent'], { error: 'Discount kind must be amount or percent' }),
    /** Paise for an amount; basis points for a percentage (1000 = 10%). */
    value: z.number({ error: 'Discount is required' }).int('Discount must be a whole number (paise, or basis points for a percentage)').min(0, 'Discount cannot be negative'),
    reason: lineText('Reason').trim().max(200, 'Reason must be at most 200 characters').default(''),
  })
  .refine((d) => d.kind !== 'percent' || d.value <= 10_000, { error: 'A percentage is at most 10000 basis points (100%)', path: ['value'] });

/** An administrator's username and password, when the cashier's discount goes over the limit. */
const approval = z
  .object({
    username: requiredText('Administrator username', 32),
    password: secretText('Administrator password', 'Administrator password is required').min(1, 'Administrator password is required').max(200),
  })
  .nullish();

const lines = z.array(line).min(1, 'Add at least one line').max(100, 'At most 100 lines');

const part = z.object({
  mode: z.enum(PAYMENT_MODES, { error: `Mode must be one of: ${PAYMENT_MODES.join(', ')}` }),
  amountPaise: positiveAmount('Amount'),
  reference: z.preprocess(emptyToNull, lineText('Reference').trim().max(40, 'Reference must be at most 40 characters').nullish()),
});

const REFERENCE_RULES: Partial<Record<(typeof PAYMENT_MODES)[number], string>> = {
  upi: 'UPI needs the 12-digit UTR',
  card: 'A card payment needs the 12-digit RRN',
};

const paymentInput = z
  .object({
    invoiceId: id('Invoice').optional(),
    patientId: id('Patient').optional(),
    parts: z.array(part).min(1, 'Add at least one payment').max(6, 'At most 6 parts in one receipt'),
  })
  .superRefine((v, ctx) => {
    if (!v.invoiceId && !v.patientId) ctx.addIssue({ code: 'custom', path: ['invoiceId'], message: 'Give the invoice, or a patient for an advance' });
    v.parts.forEach((p, i) => {
      const rule = REFERENCE_RULES[p.mode];
      if (rule && !/^\d{12}$/.test((p.reference ?? '').replace(/\s/g, ''))) ctx.addIssue({ code: 'custom', path: ['parts', i, 'reference'], message: rule });
    });
  })
  .transform((v) => ({
    ...v,
    parts: v.parts.map((p) => (REFERENCE_RULES[p.mode] ? { ...p, reference: (p.reference ?? '').replace(/\s/g, '') } : p)),
  }));

const REFUND_MODES = PAYMENT_MODES.filter((m) => m !== 'advance') as [Exclude<(typeof PAYMENT_MODES)[number], 'advance'>, ...Exclude<(typeof PAYMENT_MODES)[number], 'advance'>[]];

const denominations = z
  .record(lineText('Note or coin'), z.number({ error: 'Count must be a number' }).int('Count must be a whole number').min(0, 'Count cannot be negative').max(100_000, 'Count is too large'))
  .default({})
  .superRefine((d, ctx) => {
    for (const key of Object.keys(d)) {
      if (!(DENOMINATIONS as readonly string[]).includes(key)) {
        ctx.addIssue({ code: 'custom', path: [key], message: `Notes and coins are counted in rupees: ${DENOMINATIONS.join(', ')}` });
      }
    }
  });

const STATUS_LABELS = ['draft', 'issued', 'partially paid', 'paid', 'partly refunded', 'refunded', 'credited', 'void'] as const;

const paper = z.enum(['A4', 'A5'], { error: 'Paper must be A4 or A5' });
const printer = lineText('Printer').max(120, 'Printer name is at most 120 characters').nullable().optional();

/** A receipt by its number, or by any payment on it. */
const receiptRef = z
  .object({
    receiptNumber: lineText('Receipt number').trim().min(1, 'Receipt number is required').max(40, 'Receipt number is at most 40 characters').optional(),
    paymentId: id('Payment').optional(),
    paper: paper.optional(),
  })
  .refine((v) => v.receiptNumber !== undefined || v.paymentId !== undefined, { error: 'Give the receipt number or the payment', path: ['receiptNumber'] });

export const billingMethods = {
  'billing.priceList': method({
    input: z.object({ includeInactive: z.boolean().default(false) }).default({ includeInactive: false }),
    access: 'billing.read',
    mutates: false,
    run: (ctx, input) => listPriceItems(ctx, input.includeInactive),
  }),
  /** Procedures, packages and other services the clinic bills; consultations, tests and medicines price themselves. */
  'billing.savePriceItem': method({
    input: z.object({
      id: id('Item').optional(),
      code: lineText('Code', 'Code is required')
        .trim()
        .toUpperCase()
        .regex(/^[A-Z0-9][A-Z0-9-]{0,19}$/, 'Code must be 1 to 20 letters, digits or dashes'),
      name: requiredText('Name', 120),
      kind: z.enum(['procedure', 'package', 'other'], { error: 'Kind must be procedure, package or other' }),
      sacHsn,
      gstRateBp: gstRate.default(0),
      pricePaise: amount('Price'),
      taxInclusive: z.boolean().default(false),
      supplyKind: supplyKind.optional(),
      exemptionNote: exemptionNote.optional(),
      active: z.boolean().optional(),
    }),
    access: 'settings.manage',
    mutates: true,
    run: (ctx, input) => savePriceItem(ctx, input),
  }),
  'billing.settings': method({
    input: z.object({}).optional(),
    access: 'billing.read',
    mutates: false,
    run: (ctx) => getBillingSettings(ctx),
  }),
  /** The discount limit of this workstation: the lower of a share of the bill (basis points) and an amount. */
  'billing.setSettings': method({
    input: z.object({
      discountLimitBp: z.number().int().min(0, 'Cannot be negative').max(10_000, 'At most 10000 (100%)').optional(),
      discountLimitPaise: amount('Discount limit').optional(),
    }),
    access: 'settings.manage',
    mutates: true,
    run: (ctx, input) => setBillingSettings(ctx, input),
  }),
  /** Draft lines for a visit: the fee (or follow-up fee), ordered tests, prescribed medicines with an MRP. */
  'billing.suggest': method({
    input: z.object({ visitId: id('Visit') }),
    access: 'billing.read',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => suggestLines(ctx, input.visitId),
  }),
  'billing.createInvoice': method({
    input: z.object({
      patientId: id('Patient'),
      visitId: id('Visit').nullish(),
      doctorId: id('Doctor').nullish(),
      lines,
      discount: discount.nullish(),
      approval,
    }),
    access: 'billing.write',
    mutates: true,
    run: (ctx, input) => createInvoice(ctx, input),
  }),
  'billing.updateInvoice': method({
    input: z.object({
      invoiceId: id('Invoice'),
      lines: lines.optional(),
      discount: discount.nullish(),
      doctorId: id('Doctor').nullish(),
      approval,
    }),
    access: 'billing.write',
    mutates: true,
    run: (ctx, input) => updateInvoice(ctx, input),
  }),
  'billing.issueInvoice': method({
    input: z.object({ invoiceId: id('Invoice'), approval }),
    access: 'billing.write',
    mutates: true,
    run: (ctx, input) => issueInvoice(ctx, input),
  }),
  'billing.voidInvoice': method({
    input: z.object({ invoiceId: id('Invoice'), reason: requiredText('Reason', 300) }),
    access: 'billing.write',
    mutates: true,
    run: (ctx, input) => voidInvoice(ctx, input),
  }),
  /** One receipt: parts in several modes; with only a patient, an advance. */
  'billing.recordPayment': method({
    input: paymentInput,
    access: 'billing.write',
    mutates: true,
    run: (ctx, input) => recordPayment(ctx, input),
  }),
  /**
   * Money back against an invoice, by line (several lines: units, or an amount against a line), with
   * a credit note (taxable lines) or refund voucher; the lines come off the bill and only what was
   * paid beyond its new total goes back (none on a bill not paid for: its balance due falls). Without
   * lines, only money paid beyond the bill. With only a patient (no invoice), out of their unused advance.
   */
  'billing.refund': method({
    input: z
      .object({
        invoiceId: id('Invoice').optional(),
        patientId: id('Patient').optional(),
        lines: z
          .array(
            z
              .object({
                line: z.number({ error: 'Line is required' }).int('Line is a whole number').min(0, 'Line is 0 or more').max(99, 'No such line'),
                quantity: z.number().int('Quantity must be a whole number').min(1, 'Quantity must be at least 1').max(10_000, 'Quantity is at most 10,000').optional(),
                amountPaise: positiveAmount('Amount').optional(),
              })
              .refine((l) => (l.quantity === undefined) !== (l.amountPaise === undefined), { error: 'Give the quantity or the amount refunded', path: ['quantity'] }),
          )
          .max(100, 'At most 100 lines')
          .optional(),
        amountPaise: positiveAmount('Amount').optional(),
        // Needed when money goes back; lines of a bill not paid for come off its balance due and need none.
        mode: z.enum(REFUND_MODES, { error: `Mode must be one of: ${REFUND_MODES.join(', ')}` }).optional(),
        reason: requiredText('Reason', 300),
      })
      .refine((v) => v.invoiceId !== undefined || v.patientId !== undefined, {
        error: 'Give the invoice, or a patient to refund their unused advance',
        path: ['invoiceId'],
      })
      .refine((v) => (v.lines !== undefined && v.lines.length > 0) || v.amountPaise !== undefined, {
        error: 'Give the lines refunded (or the amount, for an advance)',
        path: ['lines'],
      }),
    access: 'billing.refund',
    mutates: true,
    run: (ctx, input) => recordRefund(ctx, input),
  }),
  /**
   * A bill paid beyond its total (taken at two desks offline): move the credit (all of it unless an
   * amount is given) to the patient's advance. Refunding it instead is billing.refund on the invoice.
   */
  'billing.keepCreditAsAdvance': method({
    input: z.object({ invoiceId: id('Invoice'), amountPaise: positiveAmount('Amount').optional() }),
    access: 'billing.refund',
    mutates: true,
    run: (ctx, input) => keepCreditAsAdvance(ctx, input),
  }),
  /** Issued bills paid beyond their total, oldest first (optionally one patient's). */
  'billing.credits': method({
    input: z.object({ patientId: id('Patient').optional() }).default({}),
    access: 'billing.read',
    mutates: false,
    run: (ctx, input) => listCredits(ctx, input.patientId),
  }),
  /** A patient's advance: what is left, and what came in, was used on bills and was refunded. */
  'billing.advance': method({
    input: z.object({ patientId: id('Patient') }),
    access: 'billing.read',
    mutates: false,
    run: (ctx, input) => advanceStatement(ctx, input.patientId),
  }),
  'billing.invoice': method({
    input: z.object({ invoiceId: id('Invoice') }),
    access: 'billing.read',
    mutates: false,
    run: (ctx, input) => getInvoice(ctx, input.invoiceId),
  }),
  'billing.list': method({
    input: z
      .object({
        date: isoDate('Date').optional(),
        patientId: id('Patient').optional(),
        status: z.enum(STATUS_LABELS, { error: `Status must be one of: ${STATUS_LABELS.join(', ')}` }).optional(),
        limit: z.number().int().min(1).max(1000).optional(),
      })
      .default({}),
    access: 'billing.read',
    mutates: false,
    run: (ctx, input) => listInvoices(ctx, input),
  }),
  'billing.dues': method({
    input: z.object({}).optional(),
    access: 'billing.read',
    mutates: false,
    run: (ctx) => listDues(ctx),
  }),
  /** This workstation's day: totals and the cash count; `close: true` closes and locks the day here. */
  'billing.dayEnd': method({
    input: z.object({
      date: isoDate('Date'),
      openingCashPaise: amount('Opening cash').default(0),
      denominations,
      close: z.boolean().default(false),
      /** Required to close a day whose counted cash differs from the expected; on the report, its PDF and the audit log. */
      differenceReason: lineText('Reason for the difference').trim().max(300, 'Reason for the difference must be at most 300 characters').nullish(),
    }),
    access: 'billing.dayEnd',
    mutates: true,
    run: (ctx, input) => dayEnd(ctx, input),
  }),
  /**
   * "Save as PDF" of an issued (or void) invoice: a background job whose result carries the PDF
   * (base64). Every copy is audited; every copy after the first says DUPLICATE.
   */
  'billing.invoicePdf': method({
    input: z.object({ invoiceId: id('Invoice'), paper: paper.optional() }),
    access: 'billing.read',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => invoicePdf(ctx, input),
  }),
  /** Prints the invoice through the operating system (CUPS `lp`) in the background; returns the job. */
  'billing.printInvoice': method({
    input: z.object({ invoiceId: id('Invoice'), paper: paper.optional(), printer }),
    access: 'billing.read',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => printInvoice(ctx, input),
  }),
  /** The payment receipt (all parts of one receipt number) as a PDF, A5 unless asked. */
  'billing.receiptPdf': method({
    input: receiptRef,
    access: 'billing.read',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => receiptPdf(ctx, input),
  }),
  'billing.printReceipt': method({
    input: receiptRef.and(z.object({ printer })),
    access: 'billing.read',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => printReceipt(ctx, input),
  }),
  /** The day-end report of this workstation as a PDF: as closed, or a PREVIEW with the cash counted so far. */
  'billing.dayEndPdf': method({
    input: z.object({
      date: isoDate('Date'),
      openingCashPaise: amount('Opening cash').optional(),
      denominations: denominations.optional(),
      paper: paper.optional(),
    }),
    access: 'billing.dayEnd',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => dayEndPdf(ctx, input),
  }),
  /** A credit note or refund voucher as a PDF (a background job); every copy is audited, copies after the first say DUPLICATE. */
  'billing.creditNotePdf': method({
    input: z.object({ creditNoteId: id('Credit note'), paper: paper.optional() }),
    access: 'billing.read',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => creditNotePdf(ctx, input),
  }),
  'billing.printCreditNote': method({
    input: z.object({ creditNoteId: id('Credit note'), paper: paper.optional(), printer }),
    access: 'billing.read',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => printCreditNote(ctx, input),
  }),
  /** The ABDM InvoiceRecord document bundle (FHIR R4) of an issued invoice; exports are audited. */
  'billing.fhir': method({
    input: z.object({ invoiceId: id('Invoice') }),
    access: 'billing.read',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => {
      const inv = getInvoice(ctx, input.invoiceId);
      ctx.describe({ entityType: 'invoices', entityId: inv.id, detail: `FHIR InvoiceRecord export ${inv.invoiceNumber ?? ''}` });
      return invoiceBundle({ db: ctx.db, now: ctx.now, timeZone: ctx.settings.timeZone }, inv);
    },
  }),
};
