import type Database from '../../../db/sqlite';
import { doctorName, staffNames, type ReportRange } from './range';

/*
 * Refunds and discounts. Refunds: money given back on the days of the range, as the refunds ledger
 * holds it now (a credit kept as advance, mode 'advance', gave no money back and is left out), each
 * with the credit note or refund voucher a refund by line issued.
 * Discounts: on the bills issued in the range (void ones left out), line discounts and the
 * discount on the whole bill, by the bill's doctor.
 */

/** The refunds listed one by one; a longer range shows the latest ones and says how many in all. */
export const REFUND_LIST_LIMIT = 500;

export const REFUNDS_SQL = `
  SELECT r.refunded_on AS day, r.mode, r.amount_paise AS paise, r.reason,
         i.invoice_number AS invoiceNumber, i.doctor_id AS doctorId, r.refunded_by AS refundedBy, n.number AS creditNoteNumber
  FROM refunds r LEFT JOIN invoices i ON i.id = r.invoice_id
  LEFT JOIN credit_notes n ON n.invoice_id = r.invoice_id AND n.refund_id = r.id AND n.deleted_at IS NULL
  WHERE r.refunded_on BETWEEN @from AND @to AND r.deleted_at IS NULL AND r.mode <> 'advance'
  ORDER BY r.refunded_on DESC, r.created_at DESC, r.id`;

/** From the per-day sums of issued bills (migration 0026), as the revenue report reads them. */
export const DISCOUNTS_SQL = `
  SELECT CASE WHEN no_doctor THEN NULL ELSE doctor_id END AS doctorId, sum(invoices) AS invoices, sum(discounted) AS discounted,
         sum(line_discount_paise) AS linePaise, sum(bill_discount_paise) AS billPaise
  FROM report_billed_days
  WHERE day BETWEEN @from AND @to
  GROUP BY doctor_id, no_doctor HAVING sum(invoices) > 0`;

interface RefundRow {
  day: string;
  mode: string;
  paise: number;
  reason: string;
  invoiceNumber: string | null;
  doctorId: string | null;
  refundedBy: string;
  creditNoteNumber: string | null;
}

interface DiscountRow {
  doctorId: string | null;
  invoices: number;
  discounted: number;
  linePaise: number;
  billPaise: number;
}

export function refundsDiscountsReport(sqlite: Database.Database, range: ReportRange, listLimit = REFUND_LIST_LIMIT) {
  const names = staffNames(sqlite);
  const refunds = sqlite.prepare<ReportRange, RefundRow>(REFUNDS_SQL).all(range);
  const modes = new Map<string, { count: number; paise: number }>();
  for (const r of refunds) {
    const m = modes.get(r.mode) ?? { count: 0, paise: 0 };
    m.count += 1;
    m.paise += r.paise;
    modes.set(r.mode, m);
  }
  const discounts = sqlite.prepare<ReportRange, DiscountRow>(DISCOUNTS_SQL).all(range);
  const byDoctor = discounts
    .map((d) => ({
      doctorId: d.doctorId,
      doctorName: doctorName(names, d.doctorId),
      invoices: d.invoices,
      discountedInvoices: d.discounted,
      lineDiscountPaise: d.linePaise,
      billDiscountPaise: d.billPaise,
      discountPaise: d.linePaise + d.billPaise,
    }))
    .sort((a, b) => b.discountPaise - a.discountPaise || a.doctorName.localeCompare(b.doctorName));
  return {
    ...range,
    refunds: {
      count: refunds.length,
      totalPaise: refunds.reduce((s, r) => s + r.paise, 0),
      byMode: [...modes.entries()].map(([mode, m]) => ({ mode, ...m })).sort((a, b) => b.paise - a.paise),
      latest: refunds.slice(0, listLimit).map((r) => ({
        day: r.day,
        mode: r.mode,
        amountPaise: r.paise,
        reason: r.reason,
        invoiceNumber: r.invoiceNumber,
        doctorName: r.invoiceNumber === null ? '(advance)' : doctorName(names, r.doctorId),
        refundedBy: names.get(r.refundedBy) ?? '',
        creditNoteNumber: r.creditNoteNumber,
      })),
    },
    discounts: {
      invoices: byDoctor.reduce((s, d) => s + d.invoices, 0),
      discountedInvoices: byDoctor.reduce((s, d) => s + d.discountedInvoices, 0),
      lineDiscountPaise: byDoctor.reduce((s, d) => s + d.lineDiscountPaise, 0),
      billDiscountPaise: byDoctor.reduce((s, d) => s + d.billDiscountPaise, 0),
      totalPaise: byDoctor.reduce((s, d) => s + d.discountPaise, 0),
      byDoctor,
    },
  };
}
