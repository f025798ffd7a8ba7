/**
 * Billing: the price list, invoices, payments, refunds, advances and the day end. Callers import
 * from here; the files beside this one hold one part each and share common.ts, totals.ts and ledger.ts.
 */
export { DISCOUNT_LIMIT_DEFAULTS, discountLimitPaise, getBillingSettings, setBillingSettings, type BillingSettings } from './settings';
export { listPriceItems, savePriceItem, type PriceItemInput } from './price-list';
export type { LineInput } from './totals';
export type { Approval } from './approval';
export {
  createInvoice,
  issueInvoice,
  updateInvoice,
  voidInvoice,
  type CreateInvoiceInput,
  type DiscountInput,
  type UpdateInvoiceInput,
} from './invoices';
export { advanceBalance, advanceStatement } from './advances';
export { recordPayment, type PaymentPart } from './payments';
export { keepCreditAsAdvance, recordRefund, type RefundInput, type RefundLineInput } from './refunds';
export { creditNotesOf, creditNotesOfDay, requireCreditNote, type CreditNoteView } from './credit-notes';
export { listCredits } from './lists';
export { ledgerTotals } from './ledger';
export { ISSUED_TWICE } from './issues';
export { getInvoice, invoiceView, statusLabel, type InvoiceView, type StatusLabel } from './views';
export { listDues, listInvoices } from './lists';
export { HSN_MEDICINE, SAC_CONSULTATION, SAC_LAB, suggestLines } from './suggestions';
export { dayEnd, DENOMINATIONS, type DayEndInput } from './day-end';
