import { and, eq, inArray, isNotNull, isNull, lte, or } from 'drizzle-orm';
import { patientFamily } from '../../../db/patient-merge-follow';
import { payments, refunds } from '../../../db/schema';
import { displayName } from '../patient-search';
import { requirePatient } from '../patients';
import { type Ctx, requireInvoice } from './common';
import { sumPaise } from './ledger';
import { listCredits } from './lists';
import { creditNotice } from './views';

/* Advances: money a patient leaves before a bill, drawn on later (mode 'advance') or given back. */

/**
 * The patient's advance not yet used: advances received (payments with no invoice) less what was
 * paid from it (mode 'advance') less what was given back (refunds with no invoice). With `upToHlc`,
 * as it stood once the ledger rows up to that stamp were written (a receipt printed later).
 */
export function advanceBalance(ctx: Pick<Ctx, 'db'>, patientId: string, upToHlc?: string): number {
  // Ledger rows stay under the record they were written for: a merged record's advance is the survivor's.
  const family = patientFamily(ctx.db, patientId);
  const upTo = (hlc: typeof payments.hlc | typeof refunds.hlc) => (upToHlc === undefined ? undefined : lte(hlc, upToHlc));
  const received = sumPaise(ctx, payments, and(inArray(payments.patientId, family), isNull(payments.invoiceId), upTo(payments.hlc)));
  // Mode 'advance' with no invoice is a bill's credit moved into the advance (received), not a use of it.
  const used = sumPaise(ctx, payments, and(inArray(payments.patientId, family), eq(payments.mode, 'advance'), isNotNull(payments.invoiceId), upTo(payments.hlc)));
  const refunded = sumPaise(ctx, refunds, and(inArray(refunds.patientId, family), isNull(refunds.invoiceId), upTo(refunds.hlc)));
  return received - used - refunded;
}

/** A patient's advance: what is left, and the money in, used and given back, newest first. */
export function advanceStatement(ctx: Ctx, patientId: string) {
  const patient = requirePatient(ctx, patientId);
  const family = patientFamily(ctx.db, patient.id);
  const received = ctx.db
    .select()
    .from(payments)
    .where(and(inArray(payments.patientId, family), or(isNull(payments.invoiceId), eq(payments.mode, 'advance'))))
    .all();
  const given = ctx.db
    .select()
    .from(refunds)
    .where(and(inArray(refunds.patientId, family), isNull(refunds.invoiceId)))
    .all();
  const entries = [
    ...received.map((p) => ({
      id: p.id,
      kind: p.invoiceId === null ? ('received' as const) : ('used' as const),
      on: p.receivedOn,
      mode: p.mode,
      amountPaise: p.amountPaise,
      note: p.invoiceId === null ? (p.mode === 'advance' ? `credit kept from ${p.reference ?? 'a bill'} (receipt ${p.receiptNumber})` : `receipt ${p.receiptNumber}`) : `paid on ${requireInvoice(ctx, p.invoiceId).invoiceNumber ?? 'a bill'}`,
      hlc: p.hlc,
    })),
    ...given.map((r) => ({ id: r.id, kind: 'refunded' as const, on: r.refundedOn, mode: r.mode, amountPaise: r.amountPaise, note: r.reason, hlc: r.hlc })),
  ]
    // HLC order is the order the ledger was written in, across workstations.
    .sort((a, b) => (a.hlc < b.hlc ? 1 : a.hlc > b.hlc ? -1 : 0))
    .map(({ hlc: _hlc, ...e }) => e);
  const total = (kind: 'received' | 'used' | 'refunded') => entries.filter((e) => e.kind === kind).reduce((sum, e) => sum + e.amountPaise, 0);
  return {
    patientId: patient.id,
    patientName: displayName(patient),
    receivedPaise: total('received'),
    usedPaise: total('used'),
    refundedPaise: total('refunded'),
    balancePaise: advanceBalance(ctx, patient.id),
    entries,
    /** The patient's bills paid beyond their total: each to be refunded or kept as advance. */
    credits: listCredits(ctx, patient.id).invoices.map((c) => ({
      invoiceId: c.id,
      invoiceNumber: c.invoiceNumber,
      creditPaise: c.creditPaise,
      notice: creditNotice(c.creditPaise)!,
    })),
  };
}
