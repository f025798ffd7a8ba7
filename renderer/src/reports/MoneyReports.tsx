import { BarChart } from '@mantine/charts';
import { useMethod } from '../api/hooks';
import { formatDay } from '../format';
import { formatRupees } from '../billing/money';
import { Figures, ReportCard } from './parts';
import type { Range } from './ReportsScreen';

const MODE_LABELS: Record<string, string> = { cash: 'Cash', card: 'Card', upi: 'UPI', netbanking: 'Net banking', wallet: 'Wallet', insurance: 'Insurance' };
const mode = (m: string) => MODE_LABELS[m] ?? m;
const rupees = (paise: number) => paise / 100;

/** Money collected and refunded by mode; billed by service and by doctor. */
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
          <Figures caption={`Billed by service: ${formatRupees(r.billedPaise)} on ${r.invoices} bills`} head={['Service', 'Lines', 'Billed']} rows={r.byService.map((s) => [s.kind, s.lines, formatRupees(s.billedPaise)])} />
          <Figures caption="Billed by doctor" head={['Doctor', 'Bills', 'Billed']} rows={r.byDoctor.map((d) => [d.doctorName, d.invoices, formatRupees(d.billedPaise)])} />
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
            head={['Day', 'Invoice', 'Doctor', 'Mode', 'Amount', 'Reason']}
            rows={r.refunds.latest.map((x) => [formatDay(x.day), x.invoiceNumber ?? '(advance)', x.doctorName, mode(x.mode), formatRupees(x.amountPaise), x.reason])}
          />
        </>
      )}
    </ReportCard>
  );
}
