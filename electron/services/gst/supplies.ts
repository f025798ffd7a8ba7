import { and, between, eq, isNull, ne } from 'drizzle-orm';
import type { Db } from '../../../db/open';
import { creditNotes, invoices, type InvoiceLine } from '../../../db/schema';
import type { SupplyKind } from '../../../shared/enums';
import { computeInvoice, type InvoiceDiscount } from '../../../shared/money';
import { supplyKindOf } from '../../../shared/supply';
import type { GstRange } from './period';

/*
 * The outward supplies of a period, line by line, as GSTR-1 counts them: every line of the
 * invoices issued on its days (a void invoice is cancelled and counts for nothing), and, with the
 * opposite sign, every line of the credit notes and refund vouchers issued on its days (B2C credit
 * notes are netted into the period in which they are issued, whatever the invoice's month). A note
 * against an invoice that was later voided is skipped: the void already takes the whole bill out.
 */

export interface SupplyEntry {
  /** +1 an invoice line, -1 a line taken back by a credit note or refund voucher. */
  sign: 1 | -1;
  kind: SupplyKind;
  sacHsn: string | null;
  description: string;
  rateBp: number;
  /** Units supplied (or given back); 0 when a credit took back an amount rather than units. */
  quantity: number;
  taxablePaise: number;
  cgstPaise: number;
  sgstPaise: number;
  /** The document it comes from, so a warning can name it. */
  document: string;
}

type InvoiceRow = typeof invoices.$inferSelect;

/** The figures issued on each line; recomputed (same arithmetic) for lines stored before they were kept. */
function lineFigures(row: InvoiceRow): { taxablePaise: number; cgstPaise: number; sgstPaise: number }[] {
  const lines = row.lines;
  if (lines.every((l) => l.taxablePaise !== undefined && l.cgstPaise !== undefined && l.sgstPaise !== undefined)) {
    return lines.map((l) => ({ taxablePaise: l.taxablePaise ?? 0, cgstPaise: l.cgstPaise ?? 0, sgstPaise: l.sgstPaise ?? 0 }));
  }
  const discount: InvoiceDiscount | null = row.discountKind && row.discountValue !== null ? { kind: row.discountKind, value: row.discountValue } : null;
  return computeInvoice(lines, discount).lines;
}

function invoiceEntries(row: InvoiceRow): SupplyEntry[] {
  const figures = lineFigures(row);
  return row.lines.map((l: InvoiceLine, i) => ({
    sign: 1,
    kind: supplyKindOf(l),
    sacHsn: l.sacHsn?.trim() || null,
    description: l.description,
    rateBp: l.gstRateBp,
    quantity: l.quantity,
    ...figures[i]!,
    document: row.invoiceNumber ?? row.id,
  }));
}

/** Every supply line of the period: invoices in the order of their numbers, then the notes. */
export function suppliesIn(db: Db, range: GstRange): SupplyEntry[] {
  const issued = db
    .select()
    .from(invoices)
    .where(and(eq(invoices.status, 'issued'), isNull(invoices.deletedAt), between(invoices.issuedOn, range.from, range.to)))
    .orderBy(invoices.invoiceNumber)
    .all();
  const notes = db
    .select({ note: creditNotes })
    .from(creditNotes)
    .innerJoin(invoices, eq(invoices.id, creditNotes.invoiceId))
    .where(and(isNull(creditNotes.deletedAt), between(creditNotes.issuedOn, range.from, range.to), ne(invoices.status, 'void')))
    .orderBy(creditNotes.number)
    .all()
    .map((r) => r.note);
  const credited: SupplyEntry[] = notes.flatMap((n) =>
    n.lines.map((l) => ({
      sign: -1 as const,
      kind: supplyKindOf(l),
      sacHsn: l.sacHsn?.trim() || null,
      description: l.description,
      rateBp: l.gstRateBp,
      quantity: l.quantity ?? 0,
      taxablePaise: l.taxablePaise,
      cgstPaise: l.cgstPaise,
      sgstPaise: l.sgstPaise,
      document: n.number,
    })),
  );
  return [...issued.flatMap(invoiceEntries), ...credited];
}
