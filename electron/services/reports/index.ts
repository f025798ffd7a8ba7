import type Database from '../../../db/sqlite';
import { censusReport } from './census';
import { toCsv, money, type CsvTable } from './csv';
import { diagnosesReport } from './diagnoses';
import { followUpsReport } from './follow-ups';
import { refundsDiscountsReport } from './refunds-discounts';
import { revenueReport } from './revenue';
import type { ReportRange } from './range';
import { visitTypesReport } from './visit-types';

export { censusReport, diagnosesReport, followUpsReport, refundsDiscountsReport, revenueReport, visitTypesReport };
export { MAX_RANGE_DAYS, daysIn, type ReportRange } from './range';

export const REPORT_NAMES = ['census', 'visitTypes', 'revenue', 'refundsDiscounts', 'diagnoses', 'followUps'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

/** One report as the tables of its CSV file. */
// Long by design: one small table builder per report, kept side by side so the columns are easy to compare.
function tablesOf(sqlite: Database.Database, name: ReportName, range: ReportRange, today: string): CsvTable[] {
  switch (name) {
    case 'census': {
      const r = censusReport(sqlite, range);
      return [
        { title: `OPD census ${range.from} to ${range.to}`, header: ['Day', 'Visits'], rows: r.byDay.map((d) => [d.day, d.visits]) },
        { title: 'By doctor', header: ['Doctor', 'Visits'], rows: r.byDoctor.map((d) => [d.doctorName, d.visits]) },
      ];
    }
    case 'visitTypes': {
      const r = visitTypesReport(sqlite, range);
      return [{ title: `New and follow-up visits ${range.from} to ${range.to}`, header: ['Day', 'New', 'Follow-up'], rows: r.byDay.map((d) => [d.day, d.newVisits, d.followUpVisits]) }];
    }
    case 'revenue': {
      const r = revenueReport(sqlite, range, Number.POSITIVE_INFINITY);
      const notes = r.creditNotes;
      return [
        { title: `Money by mode ${range.from} to ${range.to}`, header: ['Mode', 'Payments', 'Collected (Rs)', 'Refunded (Rs)', 'Net (Rs)'], rows: r.byMode.map((m) => [m.mode, m.payments, money(m.collectedPaise), money(m.refundedPaise), money(m.netPaise)]) },
        { title: 'Billed by service', header: ['Service', 'Lines', 'Billed (Rs)', 'Credited (Rs)', 'Net (Rs)'], rows: r.byService.map((s) => [s.kind, s.lines, money(s.billedPaise), money(s.creditedPaise), money(s.netPaise)]) },
        { title: 'Billed by doctor', header: ['Doctor', 'Invoices', 'Billed (Rs)', 'Credited (Rs)', 'Net (Rs)'], rows: r.byDoctor.map((d) => [d.doctorName, d.invoices, money(d.billedPaise), money(d.creditedPaise), money(d.netPaise)]) },
        {
          title: 'Credit notes and refund vouchers',
          header: ['Day', 'Number', 'Kind', 'Invoice', 'Taxable (Rs)', 'CGST (Rs)', 'SGST (Rs)', 'Total (Rs)'],
          rows: [
            ...notes.latest.map((n) => [n.day, n.number, n.kind, n.invoiceNumber, money(n.taxablePaise), money(n.cgstPaise), money(n.sgstPaise), money(n.totalPaise)]),
            ['Total', notes.count, null, null, money(notes.taxablePaise), money(notes.cgstPaise), money(notes.sgstPaise), money(notes.totalPaise)],
          ],
        },
      ];
    }
    case 'refundsDiscounts': {
      const r = refundsDiscountsReport(sqlite, range, Number.POSITIVE_INFINITY);
      return [
        { title: `Refunds ${range.from} to ${range.to}`, header: ['Day', 'Invoice', 'Doctor', 'Mode', 'Amount (Rs)', 'Reason', 'Refunded by', 'Credit note'], rows: r.refunds.latest.map((x) => [x.day, x.invoiceNumber, x.doctorName, x.mode, money(x.amountPaise), x.reason, x.refundedBy, x.creditNoteNumber]) },
        { title: 'Discounts by doctor', header: ['Doctor', 'Invoices', 'Discounted invoices', 'Line discounts (Rs)', 'Bill discounts (Rs)', 'Total (Rs)'], rows: r.discounts.byDoctor.map((d) => [d.doctorName, d.invoices, d.discountedInvoices, money(d.lineDiscountPaise), money(d.billDiscountPaise), money(d.discountPaise)]) },
      ];
    }
    case 'diagnoses': {
      const r = diagnosesReport(sqlite, range);
      return [{ title: `Top diagnoses ${range.from} to ${range.to}`, header: ['ICD-10 code', 'Diagnosis', 'Consultations'], rows: r.top.map((d) => [d.code, d.title, d.consultations]) }];
    }
    case 'followUps': {
      const r = followUpsReport(sqlite, range, today);
      return [{ title: `Follow-ups due ${range.from} to ${range.to} (kept within ${r.windowDays} days)`, header: ['Doctor', 'Advised', 'Kept', 'Missed', 'Pending'], rows: r.byDoctor.map((d) => [d.doctorName, d.advised, d.kept, d.missed, d.pending]) }];
    }
  }
}

/** A report as a CSV file the screen saves; the name says which report and which days. */
export function reportCsv(sqlite: Database.Database, name: ReportName, range: ReportRange, today: string) {
  return { fileName: `${name}-${range.from}-to-${range.to}.csv`, csv: toCsv(tablesOf(sqlite, name, range, today)) };
}
