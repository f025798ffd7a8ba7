import { and, asc, eq } from 'drizzle-orm';
import { creditNotes, type CreditNoteKind, type RefundLine } from '../../../db/schema';
import { ApiFailure } from '../../core/context';
import { financialYear, INVOICE_NUMBER } from '../../../shared/money';
import { supplyKindOf } from '../../../shared/supply';
import { getWorkstation, nextInSeries } from '../workstation';
import { type Ctx, type InvoiceRow, userName } from './common';

/*
 * Credit notes (a refund taking back a taxable line: CGST Act s.34, rule 53(1A)) and refund
 * vouchers (exempt, nil-rated or non-GST lines only). Each is its own insert-only document,
 * numbered in this workstation's series for the financial year and kind, in the refund's
 * transaction: a number is never lost (a failed refund rolls its number back) or given twice.
 */

type CreditNoteRow = typeof creditNotes.$inferSelect;

const SERIES_LETTER: Record<CreditNoteKind, string> = { 'credit-note': 'C', 'refund-voucher': 'V' };

/** "2627/A/C00001": FY, the workstation's series, C (credit note) or V (refund voucher) and five digits; at most 16 characters. */
export function creditNoteNumber(fyLabel: string, seriesPrefix: string, kind: CreditNoteKind, seq: number): string {
  const n = `${fyLabel}/${seriesPrefix}/${SERIES_LETTER[kind]}${String(seq).padStart(5, '0')}`;
  if (!INVOICE_NUMBER.test(n)) throw new RangeError(`credit note number ${n} breaks the 16-character rule`);
  return n;
}

/** The kind of document a refund of these lines gets: a credit note as soon as one of them is taxable. */
export function creditNoteKind(lines: readonly RefundLine[]): CreditNoteKind {
  return lines.some((l) => supplyKindOf(l) === 'taxable') ? 'credit-note' : 'refund-voucher';
}

/** Writes the credit note (or refund voucher) of a line refund just recorded. */
export function issueCreditNote(
  ctx: Ctx,
  input: { refundId: string; invoice: InvoiceRow; lines: RefundLine[]; roundOffPaise: number; reason: string },
): CreditNoteRow {
  const kind = creditNoteKind(input.lines);
  const today = ctx.today();
  const fy = financialYear(today);
  const prefix = getWorkstation(ctx.db).seriesPrefix;
  const seq = nextInSeries(ctx.db, `${kind}/${fy.label}/${prefix}`);
  let number: string;
  try {
    number = creditNoteNumber(fy.label, prefix, kind, seq);
  } catch {
    throw new ApiFailure('conflict', `The ${kind.replace('-', ' ')} series ${fy.label}/${prefix} has run out of numbers; give this workstation another series prefix.`);
  }
  const sum = (k: 'taxablePaise' | 'cgstPaise' | 'sgstPaise' | 'amountPaise') => input.lines.reduce((s, l) => s + l[k], 0);
  return ctx.write.insert(creditNotes, {
    kind,
    number,
    financialYear: fy.name,
    series: prefix,
    issuedDeviceId: ctx.deviceId,
    issuedOn: today,
    issuedAt: ctx.now(),
    issuedBy: ctx.session.userId,
    refundId: input.refundId,
    invoiceId: input.invoice.id,
    patientId: input.invoice.patientId,
    invoiceNumber: input.invoice.invoiceNumber ?? '',
    invoiceDate: input.invoice.issuedOn ?? '',
    reason: input.reason,
    lines: input.lines,
    taxablePaise: sum('taxablePaise'),
    cgstPaise: sum('cgstPaise'),
    sgstPaise: sum('sgstPaise'),
    roundOffPaise: input.roundOffPaise,
    totalPaise: sum('amountPaise') + input.roundOffPaise,
  });
}

export function creditNoteView(ctx: Pick<Ctx, 'db'>, row: CreditNoteRow) {
  return {
    id: row.id,
    kind: row.kind,
    title: row.kind === 'credit-note' ? ('Credit Note' as const) : ('Refund Voucher' as const),
    number: row.number,
    issuedOn: row.issuedOn,
    issuedBy: userName(ctx, row.issuedBy),
    refundId: row.refundId,
    invoiceId: row.invoiceId,
    invoiceNumber: row.invoiceNumber,
    invoiceDate: row.invoiceDate,
    reason: row.reason,
    lines: row.lines,
    taxablePaise: row.taxablePaise,
    cgstPaise: row.cgstPaise,
    sgstPaise: row.sgstPaise,
    roundOffPaise: row.roundOffPaise,
    totalPaise: row.totalPaise,
  };
}

export type CreditNoteView = ReturnType<typeof creditNoteView>;

/** The credit notes and refund vouchers of one invoice, in the order they were issued. */
export function creditNotesOf(ctx: Pick<Ctx, 'db'>, invoiceId: string): CreditNoteView[] {
  return ctx.db
    .select()
    .from(creditNotes)
    .where(eq(creditNotes.invoiceId, invoiceId))
    .orderBy(asc(creditNotes.issuedAt), asc(creditNotes.number))
    .all()
    .map((r) => creditNoteView(ctx, r));
}

export function requireCreditNote(ctx: Pick<Ctx, 'db'>, id: string): CreditNoteView {
  const row = ctx.db.select().from(creditNotes).where(eq(creditNotes.id, id)).get();
  if (!row) throw new ApiFailure('not_found', 'No such credit note.', { creditNoteId: 'No such credit note' });
  return creditNoteView(ctx, row);
}

/** The notes this workstation issued on a day, for the day-end: numbers and the tax they reversed. */
export function creditNotesOfDay(ctx: Pick<Ctx, 'db' | 'deviceId'>, date: string) {
  const rows = ctx.db
    .select()
    .from(creditNotes)
    .where(and(eq(creditNotes.issuedOn, date), eq(creditNotes.issuedDeviceId, ctx.deviceId)))
    .orderBy(asc(creditNotes.number))
    .all();
  const of = (kind: CreditNoteKind) => {
    const list = rows.filter((r) => r.kind === kind);
    const sum = (k: 'taxablePaise' | 'cgstPaise' | 'sgstPaise' | 'totalPaise') => list.reduce((s, r) => s + r[k], 0);
    return {
      count: list.length,
      numbers: list.map((r) => r.number),
      notes: list.map((r) => ({ number: r.number, invoiceNumber: r.invoiceNumber, taxablePaise: r.taxablePaise, cgstPaise: r.cgstPaise, sgstPaise: r.sgstPaise, totalPaise: r.totalPaise })),
      taxablePaise: sum('taxablePaise'),
      cgstPaise: sum('cgstPaise'),
      sgstPaise: sum('sgstPaise'),
      totalPaise: sum('totalPaise'),
    };
  };
  return { creditNotes: of('credit-note'), refundVouchers: of('refund-voucher') };
}
