import { and, asc, eq } from 'drizzle-orm';
import {
  dayEnds,
  payments,
  refunds,
  PAYMENT_MODES,
  SERVICE_KINDS,
  type PaymentMode,
  type RefundLine,
  type ServiceKind,
} from '../../../db/schema';
import { ApiFailure } from '../../core/context';
import { formatDay } from '../../../shared/clinic-time';
import { allocate } from '../../../shared/money';
import { getWorkstation } from '../workstation';
import { type Ctx, type InvoiceRow, requireInvoice, dayClosed, userName } from './common';
import { creditNotesOfDay } from './credit-notes';
import { listCredits, listDues } from './lists';
import { ISSUED_TWICE, seriesDay } from './issues';
import { asClosed, closingReason } from './day-end-close';
import { countedCashPaise, expectedCashPaise } from '../../../shared/day-end-cash';

/* Day end: the day's money on this workstation, counted and closed. */

/** Notes and coins, in rupees. */
export const DENOMINATIONS = ['2000', '500', '200', '100', '50', '20', '10', '5', '2', '1'] as const;

export interface DayEndInput {
  date: string;
  openingCashPaise: number;
  denominations: Record<string, number>;
  close: boolean;
  /** Why the counted cash differs from the expected: required to close a day that does not tally. */
  differenceReason?: string | null | undefined;
}

function zeroModes(): Record<PaymentMode, number> {
  return Object.fromEntries(PAYMENT_MODES.map((m) => [m, 0])) as Record<PaymentMode, number>;
}

/** The day's figures for this workstation; with `close` the day is closed and locked here. */
export function dayEnd(ctx: Ctx, input: DayEndInput) {
  const today = ctx.today();
  if (input.date > today) throw new ApiFailure('invalid_input', 'date: A day cannot be closed before it has happened', { date: 'In the future' });
  const closed = dayClosed(ctx, input.date);
  if (input.close && closed) {
    throw new ApiFailure('conflict', `${formatDay(input.date)} was already closed on this workstation by ${userName(ctx, closed.closedBy) ?? 'someone'}.`, {
      date: 'Already closed',
    });
  }
  const report = dayReport(ctx, input);
  if (input.close) {
    const differenceReason = closingReason(ctx, input.date, report.cash, input.differenceReason);
    const row = ctx.write.insert(dayEnds, {
      date: input.date,
      workstationId: ctx.deviceId,
      openingCashPaise: input.openingCashPaise,
      denominations: input.denominations,
      countedCashPaise: report.cash.countedPaise,
      expectedCashPaise: report.cash.expectedPaise,
      differencePaise: report.cash.differencePaise,
      summary: report,
      closedBy: ctx.session.userId,
      differenceReason,
    });
    return { ...report, differenceReason, closed: true, closedAt: row.createdAt, closedBy: ctx.session.fullName, preview: false };
  }
  return {
    ...(closed ? asClosed(report, closed) : { ...report, differenceReason: null }),
    closed: closed !== undefined,
    closedAt: closed?.createdAt ?? null,
    closedBy: closed ? userName(ctx, closed.closedBy) : null,
    preview: true,
  };
}

/** The payments and refunds recorded on this workstation on the day, in the order they were written. */
function dayLedger(ctx: Ctx, date: string) {
  const pays = ctx.db
    .select()
    .from(payments)
    .where(and(eq(payments.receivedOn, date), eq(payments.deviceId, ctx.deviceId)))
    .orderBy(asc(payments.createdAt), asc(payments.id))
    .all();
  const refs = ctx.db
    .select()
    .from(refunds)
    .where(and(eq(refunds.refundedOn, date), eq(refunds.deviceId, ctx.deviceId)))
    .orderBy(asc(refunds.createdAt), asc(refunds.id))
    .all();
  return { pays, refs };
}

type DayLedger = ReturnType<typeof dayLedger>;

/** The day's money by doctor and by service, and the advances that belong to neither. */
function attributeMoney(ctx: Ctx, { pays, refs }: DayLedger) {
  // Money on invoices is attributed to the invoice's doctor and spread over its lines' kinds.
  const invoiceIds = [...new Set([...pays.map((p) => p.invoiceId), ...refs.map((r) => r.invoiceId)].filter((x): x is string => x !== null))];
  const invoiceRows = new Map(invoiceIds.map((id) => [id, requireInvoice(ctx, id)]));
  const doctorTotals = new Map<string, { collectedPaise: number; refundedPaise: number }>();
  const serviceTotals = new Map<ServiceKind, { collectedPaise: number; refundedPaise: number }>(
    SERVICE_KINDS.map((k) => [k, { collectedPaise: 0, refundedPaise: 0 }]),
  );
  const attribute = (invoiceId: string, amount: number, key: 'collectedPaise' | 'refundedPaise') => {
    const inv = invoiceRows.get(invoiceId)!;
    const doctor = inv.doctorId ?? '';
    const d = doctorTotals.get(doctor) ?? { collectedPaise: 0, refundedPaise: 0 };
    d[key] += amount;
    doctorTotals.set(doctor, d);
    const weights = inv.lines.map((l) => l.totalPaise ?? 0);
    const parts = weights.some((w) => w > 0) ? allocate(amount, weights) : inv.lines.map((_, i) => (i === 0 ? amount : 0));
    inv.lines.forEach((l, i) => {
      serviceTotals.get(l.kind)![key] += parts[i]!;
    });
  };
  // A line refund belongs to the services of the lines it took back (and the bill's doctor), not
  // to every line of the bill; a bill's round-off given back with its last line goes to the first.
  // Lines of a bill not (fully) paid for give back less than they took off: the money given back
  // is spread over them in proportion.
  const attributeLines = (inv: InvoiceRow, lines: RefundLine[], amount: number, credited: number) => {
    // Lines of a bill not paid for gave no money back: nothing to put under a doctor or service.
    if (amount === 0) return;
    const doctor = inv.doctorId ?? '';
    const d = doctorTotals.get(doctor) ?? { collectedPaise: 0, refundedPaise: 0 };
    d.refundedPaise += amount;
    doctorTotals.set(doctor, d);
    const taken = lines.reduce((s, x) => s + x.amountPaise, 0);
    const parts = amount >= credited ? lines.map((l, i) => l.amountPaise + (i === 0 ? amount - taken : 0)) : taken > 0 ? allocate(amount, lines.map((l) => l.amountPaise)) : lines.map(() => 0);
    lines.forEach((l, i) => {
      serviceTotals.get(inv.lines[l.line]?.kind ?? 'other')!.refundedPaise += parts[i]!;
    });
  };
  let advancesReceivedPaise = 0;
  for (const p of pays) {
    if (p.invoiceId) attribute(p.invoiceId, p.amountPaise, 'collectedPaise');
    // A bill's credit kept as advance (mode 'advance', no bill) is no money received.
    else if (p.mode !== 'advance') advancesReceivedPaise += p.amountPaise;
  }
  // An advance refunded belongs to no bill (as an advance received belongs to none), so it counts in
  // the refunds by mode and in the cash drawer, but under no doctor or service.
  let advancesRefundedPaise = 0;
  for (const r of refs) {
    if (!r.invoiceId) advancesRefundedPaise += r.amountPaise;
    else if (r.lines && r.lines.length > 0) attributeLines(invoiceRows.get(r.invoiceId)!, r.lines, r.amountPaise, r.creditedPaise);
    else attribute(r.invoiceId, r.amountPaise, 'refundedPaise');
  }

  const byDoctor = [...doctorTotals.entries()]
    .map(([doctorId, t]) => ({
      doctorId: doctorId || null,
      doctorName: doctorId ? (userName(ctx, doctorId) ?? '') : '(no doctor)',
      ...t,
      netPaise: t.collectedPaise - t.refundedPaise,
    }))
    .sort((a, b) => a.doctorName.localeCompare(b.doctorName));
  const byService = [...serviceTotals.entries()]
    .filter(([, t]) => t.collectedPaise !== 0 || t.refundedPaise !== 0)
    .map(([kind, t]) => ({ kind, ...t, netPaise: t.collectedPaise - t.refundedPaise }));
  return { byDoctor, byService, advancesReceivedPaise, advancesRefundedPaise };
}

function dayReport(ctx: Ctx, input: DayEndInput) {
  const { date } = input;
  const { pays, refs } = dayLedger(ctx, date);
  const byMode = zeroModes();
  for (const p of pays) byMode[p.mode] += p.amountPaise;
  const refundsByMode = zeroModes();
  for (const r of refs) refundsByMode[r.mode] += r.amountPaise;
  const { byDoctor, byService, advancesReceivedPaise, advancesRefundedPaise } = attributeMoney(ctx, { pays, refs });
  const seriesPrefix = getWorkstation(ctx.db).seriesPrefix;
  // By issue events and by series, so a number voided as issued twice, or given before
  // workstations were recorded on invoices (before 0015), is still listed: the series has no gap.
  const { issued, voided } = seriesDay(ctx, date, seriesPrefix);
  const credits = listCredits(ctx);
  const notes = creditNotesOfDay(ctx, date);

  const dues = listDues(ctx);
  const countedPaise = countedCashPaise(input.denominations);
  const expectedPaise = expectedCashPaise(input.openingCashPaise, byMode.cash, refundsByMode.cash);
  const receivedPaise = pays.filter((p) => p.mode !== 'advance').reduce((s, p) => s + p.amountPaise, 0);
  return {
    date,
    workstationId: ctx.deviceId,
    seriesPrefix,
    byMode,
    /** Money that came in (everything but payments drawn from an advance). */
    receivedPaise,
    advancesReceivedPaise,
    advanceUsedPaise: pays.filter((p) => p.mode === 'advance' && p.invoiceId !== null).reduce((s, p) => s + p.amountPaise, 0),
    /** Bills' credits moved to the patients' advance (refunds in mode 'advance': no money moved). */
    creditsKeptAsAdvancePaise: refundsByMode.advance,
    /** Unused advances given back (part of refundedPaise and refundsByMode). */
    advancesRefundedPaise,
    paymentCount: pays.length,
    receipts: [...new Set(pays.map((p) => p.receiptNumber))],
    refundsByMode,
    /** Money given back (a credit kept as advance moved none: see creditsKeptAsAdvancePaise). */
    refundedPaise: refs.filter((r) => r.mode !== 'advance').reduce((s, r) => s + r.amountPaise, 0),
    byDoctor,
    byService,
    /** Every number issued that day here (void ones too, so the series can be checked); billed leaves out the void. */
    invoicesIssued: {
      count: issued.length,
      numbers: issued.map((i) => i.number),
      billedPaise: issued.reduce((s, i) => s + (i.status === 'void' ? 0 : i.totalPaise), 0),
    },
    invoicesVoided: { count: voided.length, numbers: voided.map((v) => v.number) },
    /** Credit notes issued here that day (the taxable value and CGST/SGST they reverse), and refund vouchers. */
    creditNotes: notes.creditNotes,
    refundVouchers: notes.refundVouchers,
    /** The voided numbers that were a second number of a bill issued at two desks while offline. */
    issuedTwice: voided.filter((v) => v.reason === ISSUED_TWICE).map((v) => ({ number: v.number, reason: v.reason })),
    dues: { count: dues.count, totalPaise: dues.totalDuePaise },
    /** Bills paid beyond their total (anywhere in the clinic), each to be refunded or kept as advance. */
    credits: { count: credits.count, totalPaise: credits.totalCreditPaise, invoices: credits.invoices.map((c) => ({ invoiceNumber: c.invoiceNumber, patientName: c.patientName, creditPaise: c.creditPaise })) },
    cash: {
      openingPaise: input.openingCashPaise,
      receivedPaise: byMode.cash,
      refundedPaise: refundsByMode.cash,
      expectedPaise,
      denominations: input.denominations,
      countedPaise,
      differencePaise: countedPaise - expectedPaise,
    },
  };
}
