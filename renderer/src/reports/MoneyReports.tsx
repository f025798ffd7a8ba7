import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { useMethod } from '../api/hooks';
import { formatDay } from '../format';
import { formatRupees } from '../billing/money';
import { Figures, ReportCard } from './parts';
import type { Range } from './ReportsScreen';

const MODE_LABELS: Record<string, string> = { cash: 'Cash', card: 'Card', upi: 'UPI', netbanking: 'Net banking', wallet: 'Wallet', insurance: 'Insurance' };
const mode = (m: string) => MODE_LABELS[m] ?? m;
const rupees = (paise: number) => paise / 100;

/** Money collected and refunded by mode; billed, credited and net by service and by doctor; the credit notes. */
export function RevenueReport({ range }: { range: Range }) {
  const q = useMethod('reports.revenue', range);
  const r = q.data;
  return (
    <ReportCard title="Revenue" report="revenue" range={range} error={q.error?.message} loading={!r}>
      {r && (
        <>
          <BarChart
            h={200}
            withLegend
            valueFormatter={(v) => formatRupees(Math.round(v * 100))}
            data={r.byMode.map((m) => ({ mode: mode(m.mode), Collected: rupees(m.collectedPaise), Refunded: rupees(m.refundedPaise) }))}
            dataKey="mode"
            series={[{ name: 'Collected', color: 'teal.6' }, { name: 'Refunded', color: 'red.6' }]}
          />
          <Figures
            caption={`Money by mode: ${formatRupees(r.netCollectedPaise)} net`}
            head={['Mode', 'Payments', 'Collected', 'Refunded', 'Net']}
            rows={r.byMode.map((m) => [mode(m.mode), m.payments, formatRupees(m.collectedPaise), formatRupees(m.refundedPaise), formatRupees(m.netPaise)])}
          />
          <Figures
            caption={`Billed by service: ${formatRupees(r.billedPaise)} on ${r.invoices} bills, ${formatRupees(r.creditedPaise)} credited, ${formatRupees(r.netBilledPaise)} net`}
            head={['Service', 'Lines', 'Billed', 'Credited', 'Net']}
            rows={r.byService.map((s) => [s.kind, s.lines, formatRupees(s.billedPaise), formatRupees(s.creditedPaise), formatRupees(s.netPaise)])}
          />
          <Figures
            caption="Billed by doctor"
            head={['Doctor', 'Bills', 'Billed', 'Credited', 'Net']}
            rows={r.byDoctor.map((d) => [d.doctorName, d.invoices, formatRupees(d.billedPaise), formatRupees(d.creditedPaise), formatRupees(d.netPaise)])}
          />
          <Figures
            caption={`Credit notes and refund vouchers: ${r.creditNotes.count}, ${formatRupees(r.creditNotes.totalPaise)} (CGST ${formatRupees(r.creditNotes.cgstPaise)}, SGST ${formatRupees(r.creditNotes.sgstPaise)} reversed)${r.creditNotes.count > r.creditNotes.latest.length ? ` (latest ${r.creditNotes.latest.length} listed)` : ''}`}
            head={['Day', 'Number', 'Invoice', 'Taxable', 'CGST', 'SGST', 'Total']}
            rows={r.creditNotes.latest.map((n) => [formatDay(n.day), n.number, n.invoiceNumber, formatRupees(n.taxablePaise), formatRupees(n.cgstPaise), formatRupees(n.sgstPaise), formatRupees(n.totalPaise)])}
          />
        </>
      )}
    </ReportCard>
  );
}

/** Refunds (money given back) and discounts on the bills. */
export function RefundsDiscountsReport({ range }: { range: Range }) {
  const q = useMethod('reports.refundsDiscounts', range);
  const r = q.data;
  return (
    <ReportCard title="Refunds and discounts" report="refundsDiscounts" range={range} error={q.error?.message} loading={!r}>
      {r && (
        <>
          <BarChart
            h={160}
            valueFormatter={(v) => formatRupees(Math.round(v * 100))}
            data={r.discounts.byDoctor.map((d) => ({ doctor: d.doctorName, Discounts: rupees(d.discountPaise) }))}
            dataKey="doctor"
            series={[{ name: 'Discounts', color: 'grape.6' }]}
          />
          <Figures
            caption={`Discounts: ${formatRupees(r.discounts.totalPaise)} on ${r.discounts.discountedInvoices} of ${r.discounts.invoices} bills`}
            head={['Doctor', 'Discounted bills', 'Line discounts', 'Bill discounts']}
            rows={r.discounts.byDoctor.map((d) => [d.doctorName, d.discountedInvoices, formatRupees(d.lineDiscountPaise), formatRupees(d.billDiscountPaise)])}
          />
          <Figures
            caption={`Refunds: ${r.refunds.count}, ${formatRupees(r.refunds.totalPaise)}${r.refunds.count > r.refunds.latest.length ? ` (latest ${r.refunds.latest.length} listed)` : ''}`}
            head={['Day', 'Invoice', 'Doctor', 'Mode', 'Amount', 'Reason', 'Credit note']}
            rows={r.refunds.latest.map((x) => [formatDay(x.day), x.invoiceNumber ?? '(advance)', x.doctorName, mode(x.mode), formatRupees(x.amountPaise), x.reason, x.creditNoteNumber ?? ''])}
          />
        </>
      )}
    </ReportCard>
  );
}
