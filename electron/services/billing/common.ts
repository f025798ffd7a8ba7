import { and, eq, isNull } from 'drizzle-orm';
import { dayEnds, invoices, users } from '../../../db/schema';
import type { Row } from '../../../db/write';
import { ApiFailure, type AuthedContext } from '../../core/context';
import { formatDay } from '../../../shared/clinic-time';

/** Helpers every part of billing uses: the invoice row, its label, user names and the closed-day check. */

export type Ctx = AuthedContext;
export type InvoiceRow = Row<typeof invoices>;

export function requireInvoice(ctx: Pick<Ctx, 'db'>, id: string): InvoiceRow {
  const row = ctx.db.select().from(invoices).where(eq(invoices.id, id)).get();
  if (!row || row.deletedAt !== null) throw new ApiFailure('not_found', 'No such invoice.', { invoiceId: 'No such invoice' });
  return row;
}

export function label(row: Pick<InvoiceRow, 'invoiceNumber'>): string {
  return row.invoiceNumber ?? 'this draft';
}

export function dayClosed(ctx: Pick<Ctx, 'db' | 'deviceId'>, date: string) {
  return ctx.db
    .select()
    .from(dayEnds)
    .where(and(eq(dayEnds.date, date), eq(dayEnds.workstationId, ctx.deviceId), isNull(dayEnds.deletedAt)))
    .get();
}

/**
 * Refuses what would change a day already closed on this workstation: the closed day shows the
 * figures it was closed with, so a payment, refund, bill issued or bill voided after the close would
 * be on no day-end. `verb` words the refusal ("issued"); `fields` names the field refused.
 */
export function refuseIfClosed(ctx: Ctx, what: string, opts: { verb?: string; fields?: Record<string, string> } = {}) {
  const today = ctx.today();
  if (dayClosed(ctx, today)) {
    throw new ApiFailure('conflict', `The day ${formatDay(today)} has been closed on this workstation; no more ${what} can be ${opts.verb ?? 'recorded'} here today.`, opts.fields);
  }
}

export function userName(ctx: Pick<Ctx, 'db'>, id: string | null): string | null {
  if (!id) return null;
  return ctx.db.select({ n: users.fullName }).from(users).where(eq(users.id, id)).get()?.n ?? null;
}
