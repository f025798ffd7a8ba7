import { type InvoiceTotals } from '../../../shared/money';
import type { DocumentType } from '../../../shared/supply';
import type { SupplyKind } from '../../../shared/enums';
import { type Paper } from '../counter-page';
import { type LetterheadClinic, type LetterheadDoctor } from '../letterhead';

/* The view models the invoice and receipt are drawn from: plain data, money in integer paise. */

/** The letterhead's clinic, and its GSTIN for the tax invoice. */
export interface InvoiceClinic extends Omit<LetterheadClinic, 'extraLines'> {
  gstin?: string | null;
}

export type InvoiceDoctor = LetterheadDoctor;

export interface InvoicePatient {
  name: string;
  mrn: string;
  /** Years. */
  age?: number | null;
  sex?: 'M' | 'F' | 'O' | null;
  mobile?: string | null;
}

export interface InvoiceDocLine {
  description: string;
  sacHsn: string | null;
  quantity: number;
  ratePaise: number;
  /** The line's own discount plus its share of the invoice discount. */
  discountPaise: number;
  taxablePaise: number;
  gstRateBp: number;
  cgstPaise: number;
  sgstPaise: number;
  /** Taxable + CGST + SGST. */
  totalPaise: number;
  /** The rate is an MRP with the GST in it. */
  taxInclusive: boolean;
  /** Absent: taxable with a rate, else exempt. */
  supplyKind?: SupplyKind;
  /** The notification entry an exempt line relies on. */
  exemptionNote?: string | null;
}

export interface InvoiceDocPayment {
  /** YYYY-MM-DD. */
  date: string;
  receiptNumber: string;
  /** cash, card, upi, netbanking, wallet, insurance, advance. */
  mode: string;
  /** Printed with all but the last four characters masked. */
  reference: string | null;
  amountPaise: number;
}

export interface InvoiceDocRefund {
  date: string;
  mode: string;
  reason: string;
  amountPaise: number;
  /** "#2 Complete blood count × 1": the lines it took back (empty: money paid beyond the bill). */
  lines?: string[];
  /** The credit note or refund voucher it was issued with. */
  document?: string | null;
}

interface CommonDoc {
  clinic: InvoiceClinic;
  /** Null when no doctor is named on the bill (e.g. medicines alone). */
  doctor: InvoiceDoctor | null;
  patient: InvoicePatient;
  /** YYYY-MM-DD: the invoice's issue date, or the day the payment was received. */
  date: string;
  /** Set on every copy after the first: each page is stamped DUPLICATE with the reprint date. */
  duplicate?: { printedOn: string; copy?: number } | null;
}

export interface TaxInvoiceDoc extends CommonDoc {
  kind: 'invoice';
  documentType: DocumentType;
  invoiceNumber: string;
  lines: InvoiceDocLine[];
  totals: InvoiceTotals;
  discountReason?: string | null;
  payments: InvoiceDocPayment[];
  refunds: InvoiceDocRefund[];
  /** What refunded lines took off the bill (so a refund never reads as a balance due). */
  creditedPaise?: number;
  /** Set when the invoice was cancelled: every page is stamped VOID. */
  void?: { reason: string; on: string | null } | null;
  /** Set when the bill was issued at two desks while offline: which number was voided, which kept. */
  issuedTwice?: string | null;
}

export interface ReceiptDoc extends CommonDoc {
  kind: 'receipt';
  receiptNumber: string;
  /** The invoice the money was paid against; null for an advance. */
  invoice: { number: string; date: string; documentType: DocumentType; totalPaise: number; void?: boolean } | null;
  parts: { mode: string; reference: string | null; amountPaise: number }[];
  /** On the invoice after this receipt (paid less refunded); for an advance, the advance still held. */
  paidAfterPaise: number;
  /** What is still due on the invoice after this receipt; for an advance, 0. */
  balanceAfterPaise: number;
  receivedBy?: string | null;
}

/** One line of a credit note: what was taken back from a line of the invoice, and the tax it reverses. */
export interface CreditNoteDocLine {
  description: string;
  sacHsn: string | null;
  supplyKind: SupplyKind;
  gstRateBp: number;
  exemptionNote?: string | null;
  quantity: number | null;
  taxablePaise: number;
  cgstPaise: number;
  sgstPaise: number;
  amountPaise: number;
}

/** A credit note (CGST Act s.34, rule 53(1A)) or, for exempt lines only, a refund voucher. */
export interface CreditNoteDoc extends CommonDoc {
  kind: 'credit-note';
  title: 'Credit Note' | 'Refund Voucher';
  number: string;
  /** The original invoice, as the note must name it. */
  invoice: { number: string; date: string; documentType: DocumentType };
  reason: string;
  lines: CreditNoteDocLine[];
  taxablePaise: number;
  cgstPaise: number;
  sgstPaise: number;
  roundOffPaise: number;
  totalPaise: number;
  /** How the money went back. */
  refund: { mode: string; amountPaise: number };
}

export type InvoiceDoc = TaxInvoiceDoc | ReceiptDoc | CreditNoteDoc;

export interface InvoicePdfOptions {
  paper: Paper;
}
