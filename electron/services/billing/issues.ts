import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import { invoiceIssues, invoices, type InvoiceTotals } from '../../../db/schema';
import { localDate } from '../../../shared/clinic-time';
import { type Ctx, type InvoiceRow, userName } from './common';

/*
 * Numbers are events. Issuing inserts an `invoice_issues` row carrying the number (a ledger: never
 * changed, never merged). The invoice keeps the number its merged row holds; every other number
 * issued for the same invoice (the same draft issued at two desks while offline) is void with
 * ISSUED_TWICE. Every desk derives the same answer from the same rows, so no server rule is needed.
 */

export const ISSUED_TWICE = 'issued twice while offline';

type IssueRow = typeof invoiceIssues.$inferSelect;

/** The series letter of a number: "A" in "2627/A/000001" (null for a number of another shape). */
export function seriesOf(number: string): string | null {
  const parts = number.split('/');
  return parts.length === 3 ? parts[1]! : null;
}

/** Writes the issue event of a number just given (same transaction as the invoice's update). */
export function recordIssue(
  ctx: Ctx,
  input: { invoiceId: string; invoiceNumber: string; financialYear: string; series: string; issuedOn: string; issuedAt: number; totals: InvoiceTotals },
) {
  return ctx.write.insert(invoiceIssues, {
    invoiceId: input.invoiceId,
    invoiceNumber: input.invoiceNumber,
    financialYear: input.financialYear,
    series: input.series,
    issuedDeviceId: ctx.deviceId,
    issuedOn: input.issuedOn,
    issuedAt: input.issuedAt,
    issuedBy: ctx.session.userId,
    totalPaise: input.totals.totalPaise,
    totals: input.totals,
  });
}

export interface IssuedNumber {
  invoiceNumber: string;
  series: string | null;
  /** The workstation that numbered it (null before 0015). */
  issuedDeviceId: string | null;
  issuedOn: string | null;
  issuedAt: number | null;
  issuedBy: string | null;
  totalPaise: number;
  /** kept: the invoice's number; voided: a second number of the same bill. */
  state: 'kept' | 'voided';
  voidReason: string | null;
}

/**
 * Every number given to the invoices, by invoice: the issue rows, plus the invoice's own number
 * when no issue row carries it yet (an invoice pulled from a desk that does not write them).
 */
function numbersOf(rows: InvoiceRow[], issues: IssueRow[]): Map<string, IssuedNumber[]> {
  const out = new Map<string, IssuedNumber[]>();
  const byInvoice = new Map<string, IssueRow[]>();
  for (const i of issues) byInvoice.set(i.invoiceId, [...(byInvoice.get(i.invoiceId) ?? []), i]);
  for (const row of rows) {
    const seen = new Set<string>();
    const list: IssuedNumber[] = [];
    for (const i of (byInvoice.get(row.id) ?? []).sort((a, b) => (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : a.id < b.id ? -1 : 1))) {
      if (seen.has(i.invoiceNumber)) continue;
      seen.add(i.invoiceNumber);
      const kept = i.invoiceNumber === row.invoiceNumber;
      list.push({
        invoiceNumber: i.invoiceNumber,
        series: i.series,
        issuedDeviceId: i.issuedDeviceId,
        issuedOn: i.issuedOn || null,
        issuedAt: i.issuedAt,
        issuedBy: i.issuedBy,
        totalPaise: i.totalPaise,
        state: kept ? 'kept' : 'voided',
        voidReason: kept ? null : ISSUED_TWICE,
      });
    }
    if (row.invoiceNumber && !seen.has(row.invoiceNumber)) {
      list.push({
        invoiceNumber: row.invoiceNumber,
        series: seriesOf(row.invoiceNumber),
        issuedDeviceId: row.issuedDeviceId,
        issuedOn: row.issuedOn,
        issuedAt: row.issuedAt,
        issuedBy: row.issuedBy,
        totalPaise: row.totals?.totalPaise ?? 0,
        state: 'kept',
        voidReason: null,
      });
    }
    out.set(row.id, list);
  }
  return out;
}

/** The numbers of one invoice and, when it was issued twice, the notice the cashier sees. */
export function issuesView(ctx: Pick<Ctx, 'db'>, row: InvoiceRow) {
  const issues = ctx.db.select().from(invoiceIssues).where(eq(invoiceIssues.invoiceId, row.id)).all();
  const numbers = numbersOf([row], issues).get(row.id)!;
  const voided = numbers.filter((n) => n.state === 'voided');
  return {
    numbers: numbers.map((n) => ({ ...n, issuedBy: userName(ctx, n.issuedBy) })),
    issuedTwice: voided.length > 0 ? { kept: row.invoiceNumber, voided: voided.map((v) => v.invoiceNumber) } : null,
    notice: voided.length > 0 ? issuedTwiceNotice(voided.map((v) => v.invoiceNumber), row.invoiceNumber) : null,
  };
}

export function issuedTwiceNotice(voided: string[], kept: string | null): string {
  return `This bill was issued twice while offline: ${voided.map((v) => `${v} voided`).join(', ')}, ${kept ?? 'no number'} kept.`;
}

/**
 * A workstation's numbers of one day, for the day-end and the GST series listing: every number it
 * issued that day (by issue event; numbers from before 0015 by their series), the second numbers of a bill issued twice
 * included, so the series has no gap; and the numbers voided that day or voided as issued twice.
 */
export function seriesDay(ctx: Pick<Ctx, 'db' | 'deviceId'> & { settings: { timeZone: string } }, date: string, series: string) {
  const issues = ctx.db
    .select()
    .from(invoiceIssues)
    .where(and(eq(invoiceIssues.issuedOn, date), or(eq(invoiceIssues.series, series), eq(invoiceIssues.issuedDeviceId, ctx.deviceId))))
    .all();
  // Invoices numbered here that day with no issue row (written by an older app version), and those voided today.
  const own = ctx.db
    .select()
    .from(invoices)
    .where(and(isNull(invoices.deletedAt), or(eq(invoices.issuedOn, date), eq(invoices.status, 'void'))))
    .all()
    .filter((i) => i.invoiceNumber !== null && (i.issuedDeviceId !== null ? i.issuedDeviceId === ctx.deviceId : seriesOf(i.invoiceNumber) === series));
  const ids = [...new Set([...issues.map((i) => i.invoiceId), ...own.map((i) => i.id)])];
  const rows: InvoiceRow[] = [];
  for (let i = 0; i < ids.length; i += 500) rows.push(...ctx.db.select().from(invoices).where(inArray(invoices.id, ids.slice(i, i + 500))).all());
  const allIssues = ids.length ? ctx.db.select().from(invoiceIssues).where(inArray(invoiceIssues.invoiceId, ids)).all() : [];
  const numbers = numbersOf(rows, allIssues);
  const issued: { number: string; invoiceId: string; status: 'issued' | 'void'; totalPaise: number; voidReason: string | null }[] = [];
  const voided: { number: string; invoiceId: string; reason: string | null }[] = [];
  // By the workstation that numbered it; by series only for numbers given before that was recorded.
  const mine = (n: IssuedNumber) => (n.issuedDeviceId !== null ? n.issuedDeviceId === ctx.deviceId : n.series === series);
  for (const row of rows) {
    for (const n of numbers.get(row.id) ?? []) {
      if (!mine(n)) continue;
      const voidNow = n.state === 'voided' || row.status === 'void';
      if (n.issuedOn === date) {
        issued.push({ number: n.invoiceNumber, invoiceId: row.id, status: voidNow ? 'void' : 'issued', totalPaise: n.totalPaise, voidReason: n.voidReason ?? (row.status === 'void' ? row.voidReason : null) });
      }
      if (n.state === 'voided' && n.issuedOn === date) voided.push({ number: n.invoiceNumber, invoiceId: row.id, reason: n.voidReason });
      else if (n.state === 'kept' && row.status === 'void' && row.voidedAt !== null && localDate(row.voidedAt, ctx.settings.timeZone) === date) {
        voided.push({ number: n.invoiceNumber, invoiceId: row.id, reason: row.voidReason });
      }
    }
  }
  issued.sort((a, b) => (a.number < b.number ? -1 : 1));
  voided.sort((a, b) => (a.number < b.number ? -1 : 1));
  return { issued, voided };
}
