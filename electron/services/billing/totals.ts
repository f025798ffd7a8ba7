import { type InvoiceLine, type ServiceKind, type SupplyKind } from '../../../db/schema';
import { HEALTH_CARE_EXEMPTION, supplyMismatch } from '../../../shared/supply';
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
  supplyKind?: SupplyKind | undefined;
  exemptionNote?: string | null | undefined;
}

/**
 * A line as stored, with its supply kind: as given, else taxable when it carries a rate, else
 * exempt (health care by a clinical establishment: consultations, tests, procedures); an exempt
 * service line names the notification entry unless one is given. A kind that contradicts the rate
 * is refused against the line.
 */
export function toLine(l: LineInput, i = 0): InvoiceLine {
  const gstRateBp = l.gstRateBp ?? 0;
  const supplyKind = l.supplyKind ?? (gstRateBp > 0 ? 'taxable' : 'exempt');
  const mismatch = supplyMismatch(supplyKind, gstRateBp);
  if (mismatch) throw new ApiFailure('invalid_input', `lines.${i}.supplyKind: ${mismatch}`, { [`lines.${i}.supplyKind`]: mismatch });
  const exemptionNote = l.exemptionNote?.trim() || (supplyKind === 'exempt' && l.kind !== 'medicine' ? HEALTH_CARE_EXEMPTION : null);
  return {
    kind: l.kind,
    refId: l.refId ?? null,
    description: l.description,
    sacHsn: l.sacHsn ?? null,
    quantity: l.quantity,
    ratePaise: l.ratePaise,
    discountPaise: l.discountPaise ?? 0,
    gstRateBp,
    taxInclusive: l.taxInclusive ?? false,
    supplyKind,
    exemptionNote: supplyKind === 'taxable' ? null : exemptionNote,
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
