import { eq } from 'drizzle-orm';
import type { Db } from '../../../db/open';
import { drugs } from '../../../db/schema';
import { halfBpFraction, rupees } from '../../../shared/money';
import type { InvoiceView } from '../billing';
import { coding, ID_TYPES, PROFILE, ref, type Json, type Resource } from '../fhir';

/*
 * The lines of an ABDM InvoiceRecord (NRCeS IG 6.5.0): Invoice.lineItem with coded price
 * components, one ChargeItem per line coded from ndhm-billing-codes, and a Medication (with its HSN
 * code) for each medicine line. Credit notes show on the lines they credit.
 */

export const BILLING_CODES = 'https://nrces.in/ndhm/fhir/r4/CodeSystem/ndhm-billing-codes';
export const PRICE_COMPONENTS = 'https://nrces.in/ndhm/fhir/r4/CodeSystem/ndhm-price-components';
/**
 * GST's HSN (goods) and SAC (services) codes. No FHIR system URI is published for them (HL7's
 * terminology has none; the guide's own example leaves the HSN identifier without a system), so
 * they are written in the namespace of GSTN's HSN/SAC search, which lists both: SAC codes are HSN
 * chapter 99, so one system holds both without clashes.
 */
export const GST_HSN_SAC = 'https://services.gst.gov.in/services/searchhsnsac';
/** Jan Aushadhi (PMBJP) drug codes, as the formulary imports them. */
export const JAN_AUSHADHI = 'https://janaushadhi.gov.in';

type Line = InvoiceView['lines'][number];
type CreditNote = InvoiceView['creditNotes'][number];

/** ndhm-price-components 6.5.0: 00 MRP, 01 Rate, 02 Discount, 03 CGST, 04 SGST. */
const pc = (code: string, display: string) => ({ system: PRICE_COMPONENTS, code, display });
const PRICE = { mrp: pc('00', 'MRP'), rate: pc('01', 'Rate'), discount: pc('02', 'Discount'), cgst: pc('03', 'CGST'), sgst: pc('04', 'SGST') };

/** Money from integer paise: the decimal is the exact string "123.45", carried as a JSON number. */
export function money(paise: number): { value: number; currency: 'INR' } {
  return { value: Number(rupees(paise)), currency: 'INR' };
}

const component = (type: string, code: ReturnType<typeof pc>, paise: number, factor?: number): Json => ({
  type,
  code: { coding: [code], text: code.display },
  ...(factor !== undefined ? { factor } : {}),
  amount: money(paise),
});

/** The ChargeItem code for a line (ndhm-billing-codes 6.5.0). */
function billingCode(kind: Line['kind']): Json {
  if (kind === 'consultation' || kind === 'follow-up') return coding(BILLING_CODES, '00', 'Consultation');
  if (kind === 'medicine') return coding(BILLING_CODES, '05', 'Medicines');
  if (kind === 'lab') return coding(BILLING_CODES, '04', 'Pathology');
  return coding(BILLING_CODES, '03', 'OPD');
}

/** Invoice.type (ValueSet ndhm-invoice-types): pharmacy-only, consultation-only, else an OPD bill. */
export function invoiceType(lines: readonly Line[]): Json {
  if (lines.every((l) => l.kind === 'medicine')) return coding(BILLING_CODES, '01', 'Pharmacy');
  if (lines.every((l) => l.kind === 'consultation' || l.kind === 'follow-up')) return coding(BILLING_CODES, '00', 'Consultation');
  return coding(BILLING_CODES, '03', 'OPD');
}

/** What the credit notes took back from each line: taxable value and tax. */
export function creditsByLine(notes: readonly CreditNote[]): Map<number, { taxable: number; cgst: number; sgst: number }> {
  const out = new Map<number, { taxable: number; cgst: number; sgst: number }>();
  for (const n of notes) {
    for (const l of n.lines) {
      const c = out.get(l.line) ?? { taxable: 0, cgst: 0, sgst: 0 };
      out.set(l.line, { taxable: c.taxable + l.taxablePaise, cgst: c.cgst + l.cgstPaise, sgst: c.sgst + l.sgstPaise });
    }
  }
  return out;
}

/**
 * A line's price components, all coded from ndhm-price-components as the profile binds them:
 * base "Rate" (what the line comes to before tax and discount, so that base − discount + tax is
 * the line's total), "MRP" as information on tax-inclusive lines, the discount, CGST and SGST as
 * tax, and what credit notes took back as deductions of the rate and of each tax.
 */
export function priceComponents(l: Line, credit: { taxable: number; cgst: number; sgst: number } | undefined): Json[] {
  const discount = l.discountPaise + l.invoiceDiscountPaise;
  const half = Number(halfBpFraction(l.gstRateBp));
  const out: Json[] = [component('base', PRICE.rate, l.taxablePaise + discount, l.quantity)];
  if (l.taxInclusive) out.push(component('informational', PRICE.mrp, l.grossPaise, l.quantity));
  if (discount > 0) out.push(component('discount', PRICE.discount, discount));
  if (l.cgstPaise > 0) out.push(component('tax', PRICE.cgst, l.cgstPaise, half));
  if (l.sgstPaise > 0) out.push(component('tax', PRICE.sgst, l.sgstPaise, half));
  if (credit) {
    if (credit.taxable > 0) out.push(component('deduction', PRICE.rate, credit.taxable));
    if (credit.cgst > 0) out.push(component('deduction', PRICE.cgst, credit.cgst));
    if (credit.sgst > 0) out.push(component('deduction', PRICE.sgst, credit.sgst));
  }
  return out;
}

const gstCode = (l: Line, code: string): Json => coding(GST_HSN_SAC, code, `${l.kind === 'medicine' ? 'HSN' : 'SAC'} ${code}`);

/**
 * The Medication a medicine line charges for (NRCeS Medication): its HSN code as the identifier of
 * type ndhm HSN the profile fixes, and the Jan Aushadhi code where the formulary has one.
 */
export function medicationResource(db: Db, id: string, l: Line): Resource {
  const drug = l.refId ? db.select().from(drugs).where(eq(drugs.id, l.refId)).get() : undefined;
  const code = drug?.source === 'janaushadhi' && drug.sourceCode ? [coding(JAN_AUSHADHI, drug.sourceCode, drug.genericName)] : [];
  return {
    resourceType: 'Medication',
    id,
    meta: { profile: [`${PROFILE}/Medication`] },
    ...(l.sacHsn
      ? { identifier: [{ type: { coding: [coding(ID_TYPES, 'HSN', 'Harmonized System of Nomenclature')] }, system: GST_HSN_SAC, value: l.sacHsn }] }
      : {}),
    code: { coding: code, text: l.description },
    ...(drug?.form ? { form: { text: drug.form } } : {}),
  };
}

export interface ChargeRefs {
  id: string;
  patient: Json;
  practitioner: Json | null;
  medication: string | null;
  enteredDate: string;
  void: boolean;
}

/**
 * A line as a ChargeItem (NRCeS ChargeItem): code from ndhm-billing-codes, the product charged (the
 * Medication, or the service with its SAC code), the quantity.
 */
export function chargeItemResource(l: Line, r: ChargeRefs): Resource {
  const product: Record<string, Json> = r.medication
    ? { productReference: ref(r.medication, l.description) }
    : { productCodeableConcept: { coding: l.sacHsn ? [gstCode(l, l.sacHsn)] : [], text: l.description } };
  return {
    resourceType: 'ChargeItem',
    id: r.id,
    meta: { profile: [`${PROFILE}/ChargeItem`] },
    status: r.void ? 'entered-in-error' : 'billed',
    code: { coding: [billingCode(l.kind)], text: l.description },
    subject: r.patient,
    ...(r.practitioner && (l.kind === 'consultation' || l.kind === 'follow-up') ? { performer: [{ actor: r.practitioner }] } : {}),
    quantity: { value: l.quantity },
    enteredDate: r.enteredDate,
    ...product,
  };
}
