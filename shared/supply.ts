import type { SupplyKind } from './enums';

/**
 * Supply kinds of bill lines and the document title they call for (CGST rules 46, 46A, 49).
 * Isomorphic: the workstation, the PDFs and the billing screen read the same answers.
 */

/** Health care services by a clinical establishment are exempt under this entry. */
export const HEALTH_CARE_EXEMPTION = 'Notification 12/2017-Central Tax (Rate), entry 74';

export type DocumentType = 'Tax Invoice' | 'Bill of Supply' | 'Invoice-cum-Bill of Supply';

export interface SupplyLine {
  gstRateBp: number;
  supplyKind?: SupplyKind | undefined;
}

/** A line's kind: as recorded, or (lines written before kinds were recorded) taxable when it carries a rate, else exempt. */
export function supplyKindOf(l: SupplyLine): SupplyKind {
  return l.supplyKind ?? (l.gstRateBp > 0 ? 'taxable' : 'exempt');
}

/**
 * All taxable: a tax invoice. Nothing taxable: a bill of supply. Both, to an unregistered patient
 * (the clinic bills no registered recipients): one invoice-cum-bill of supply (rule 46A).
 */
export function documentType(lines: readonly SupplyLine[]): DocumentType {
  const taxable = lines.filter((l) => supplyKindOf(l) === 'taxable').length;
  if (taxable === 0) return 'Bill of Supply';
  return taxable === lines.length ? 'Tax Invoice' : 'Invoice-cum-Bill of Supply';
}

/** What the GST column says for a line: its rate, or Exempt / Nil rated / Non-GST (never "0%"). */
export function supplyLabel(kind: SupplyKind): string {
  return { taxable: 'Taxable', exempt: 'Exempt', nil: 'Nil rated', 'non-gst': 'Non-GST' }[kind];
}

/** A kind that does not fit the rate: taxable needs a rate; exempt, nil-rated and non-GST lines carry none. */
export function supplyMismatch(kind: SupplyKind, gstRateBp: number): string | null {
  if (kind === 'taxable' && gstRateBp === 0) return 'A taxable line needs a GST rate (0% lines are exempt, nil rated or non-GST)';
  if (kind !== 'taxable' && gstRateBp > 0) return `A ${supplyLabel(kind).toLowerCase()} line carries no GST rate`;
  return null;
}
