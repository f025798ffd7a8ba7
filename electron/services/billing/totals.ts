import { type InvoiceLine, type ServiceKind } from '../../../db/schema';
import { ApiFailure } from '../../core/context';
import { computeInvoice, MoneyError, type InvoiceDiscount } from '../../../shared/money';
import type { InvoiceRow } from './common';

/* Invoice lines as entered and the figures they come to (shared/money.ts does the arithmetic). */

export interface LineInput {
  kind: ServiceKind;
  refId?: string | null | undefined;
  description: string;
  sacHsn?: string | null | undefined;
  quantity: number;
  ratePaise: number;
  discountPaise?: number | undefined;
  gstRateBp?: number | undefined;
  taxInclusive?: boolean | undefined;
}

export function toLine(l: LineInput): InvoiceLine {
  return {
    kind: l.kind,
    refId: l.refId ?? null,
    description: l.description,
    sacHsn: l.sacHsn ?? null,
    quantity: l.quantity,
    ratePaise: l.ratePaise,
    discountPaise: l.discountPaise ?? 0,
    gstRateBp: l.gstRateBp ?? 0,
    taxInclusive: l.taxInclusive ?? false,
  };
}

export function discountOf(row: Pick<InvoiceRow, 'discountKind' | 'discountValue'>): InvoiceDiscount | null {
  if (!row.discountKind || row.discountValue === null) return null;
  return { kind: row.discountKind, value: row.discountValue };
}

/** Figures for lines and a discount, with impossible figures refused against the field at fault. */
export function figures(lines: InvoiceLine[], discount: InvoiceDiscount | null) {
  try {
    return computeInvoice(lines, discount);
  } catch (e) {
    if (e instanceof MoneyError) throw new ApiFailure('invalid_input', `${e.field}: ${e.message}`, { [e.field]: e.message });
    throw e;
  }
}
