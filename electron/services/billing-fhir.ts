import { eq } from 'drizzle-orm';
import { v5 as uuidv5 } from 'uuid';
import { patients } from '../../db/schema';
import { ApiFailure } from '../core/context';
import type { InvoiceView } from './billing';
import { formatRupees } from '../../shared/money';
import { INVOICE_ROW_SYSTEM } from '../../shared/abdm-invoice-record';
import {
  documentBundle,
  fhirDateTime,
  organizationResource,
  patientResource,
  practitionerResource,
  PROFILE,
  ref,
  urn,
  type Json,
  type Resource,
} from './fhir';
import { chargeItemResource, creditsByLine, invoiceType, medicationResource, money, PRICE_COMPONENTS, priceComponents } from './fhir/invoice-lines';

export { fhirDateTime, money };

/**
 * The ABDM InvoiceRecord (NRCeS FHIR IG 6.5.0): a `document` Bundle whose first entry is the
 * Composition (type.text "Invoice Record", fixed by the profile, which defines no code for it; its
 * one section refers to the Invoice only, as the profile's closed slicing wants), then the Patient,
 * Practitioner, Organization, the Invoice, one ChargeItem per line and a Medication per medicine
 * line. Every reference points at a `urn:uuid:` fullUrl inside the bundle. Amounts are Money in INR
 * written from integer paise by string formatting (no float arithmetic).
 *
 * Credit notes (and refund vouchers): the tax invoice keeps its lines as issued, and each credited
 * line carries what was taken back as deductions (of the rate, CGST and SGST, coded as the guide's
 * price components). totalNet and totalGross are what the bill comes to after the credits, the
 * figures a reader of the patient's record (or an insurer) needs; the note names each credit note
 * and the totals as first issued. The guide offers no extension for credit notes, and its section
 * takes one Invoice, so a credit note is not a second Invoice in the same record.
 */

const NS = '2f7d3c1e-6b8a-4f57-9c0e-5d1a7b3e9f42';

/** A stable id for each resource of an invoice's bundle, so re-exports match. */
const rid = (invoiceId: string, what: string) => uuidv5(`${invoiceId}/${what}`, NS);

interface BundleDeps {
  db: import('../../db/open').Db;
  now: () => number;
  timeZone: string;
}

/** The Invoice's notes: the document, its amount in words, each credit note, and the totals as first issued. */
function invoiceNotes(inv: InvoiceView): Json[] {
  const notes: Json[] = [{ text: `${inv.documentType}. ${inv.amountInWords}.` }];
  for (const n of inv.creditNotes) {
    const lines = n.lines.map((l) => `line ${l.line + 1} (${l.description})`).join(', ');
    const tax = n.cgstPaise + n.sgstPaise > 0 ? `, CGST ${formatRupees(n.cgstPaise)}, SGST ${formatRupees(n.sgstPaise)}` : '';
    notes.push({ text: `${n.title} ${n.number} of ${n.issuedOn} against ${lines}: taxable value ${formatRupees(n.taxablePaise)}${tax}, total ${formatRupees(n.totalPaise)}. Reason: ${n.reason}.` });
  }
  const noted = inv.creditNotes.reduce((s, n) => s + n.totalPaise, 0);
  if (inv.creditedPaise > noted) notes.push({ text: `Refunded without naming lines (before refunds by line): ${formatRupees(inv.creditedPaise - noted)}.` });
  if (inv.creditedPaise > 0) {
    notes.push({ text: `As issued: ${formatRupees(inv.totals.totalPaise)}; after credits: ${formatRupees(inv.totals.totalPaise - inv.creditedPaise)}.` });
  }
  return notes;
}

function invoiceResource(inv: InvoiceView, id: string, refs: { patient: Json; practitioner: Json | null; organization: Json; charge: (i: number) => string }, issued: string): Resource {
  const t = inv.totals;
  const credits = creditsByLine(inv.creditNotes);
  const creditedTaxable = [...credits.values()].reduce((s, c) => s + c.taxable, 0);
  const sum = (k: 'taxable' | 'cgst' | 'sgst') => [...credits.values()].reduce((s, c) => s + c[k], 0);
  const total = (type: string, code: string, display: string, paise: number): Json[] =>
    paise > 0 ? [{ type, code: { coding: [{ system: PRICE_COMPONENTS, code, display }], text: display }, amount: money(paise) }] : [];
  const type = invoiceType(inv.lines);
  return {
    resourceType: 'Invoice',
    id,
    meta: { profile: [`${PROFILE}/Invoice`] },
    // The bill's number, and its row: what a care context's Invoice record is checked against on sync.
    identifier: [
      { type: { text: inv.documentType }, value: inv.invoiceNumber ?? '' },
      { system: INVOICE_ROW_SYSTEM, value: `urn:uuid:${inv.id}` },
    ],
    status: inv.status === 'void' ? 'cancelled' : ['paid', 'partly refunded', 'refunded', 'credited'].includes(inv.statusLabel) ? 'balanced' : 'issued',
    ...(inv.status === 'void' && inv.voidReason ? { cancelledReason: inv.voidReason } : {}),
    type: { coding: [type], text: inv.documentType },
    subject: refs.patient,
    date: issued,
    ...(refs.practitioner ? { participant: [{ role: { text: 'Doctor' }, actor: refs.practitioner }] } : {}),
    issuer: refs.organization,
    lineItem: inv.lines.map((l, i) => ({ sequence: i + 1, chargeItemReference: ref(refs.charge(i)), priceComponent: priceComponents(l, credits.get(i)) })),
    totalPriceComponent: [
      ...total('base', '01', 'Rate', t.taxablePaise + t.lineDiscountPaise + t.invoiceDiscountPaise),
      ...total('discount', '02', 'Discount', t.lineDiscountPaise + t.invoiceDiscountPaise),
      ...total('tax', '03', 'CGST', t.cgstPaise),
      ...total('tax', '04', 'SGST', t.sgstPaise),
      ...total('deduction', '01', 'Rate', sum('taxable')),
      ...total('deduction', '03', 'CGST', sum('cgst')),
      ...total('deduction', '04', 'SGST', sum('sgst')),
      ...(t.roundOffPaise !== 0 ? [{ type: 'informational', code: { text: 'Round off' }, amount: money(t.roundOffPaise) }] : []),
    ],
    totalNet: money(t.taxablePaise - creditedTaxable),
    totalGross: money(t.totalPaise - inv.creditedPaise),
    note: invoiceNotes(inv),
  };
}

/** The InvoiceRecord bundle of an issued (or void) invoice. */
export function invoiceBundle(deps: BundleDeps, inv: InvoiceView) {
  if (inv.status === 'draft' || !inv.invoiceNumber) {
    throw new ApiFailure('conflict', 'A draft is not a record yet: issue the invoice first.', { invoiceId: 'Still a draft' });
  }
  const p = deps.db.select().from(patients).where(eq(patients.id, inv.patient.id)).get()!;
  const ids = {
    composition: rid(inv.id, 'composition'),
    patient: rid(inv.id, 'patient'),
    practitioner: rid(inv.id, 'practitioner'),
    organization: rid(inv.id, 'organization'),
    invoice: rid(inv.id, 'invoice'),
    charge: (i: number) => rid(inv.id, `charge/${i}`),
    medication: (i: number) => rid(inv.id, `medication/${i}`),
  };
  const issued = fhirDateTime(inv.issuedAt ?? inv.createdAt, deps.timeZone);
  const patientRef = ref(ids.patient, inv.patient.name);
  const doctor = inv.doctor;
  const practitioner = doctor ? practitionerResource(ids.practitioner, doctor) : null;
  const practitionerRef = doctor ? ref(ids.practitioner, doctor.name) : null;
  const organizationRef = ref(ids.organization, inv.clinic.name);

  const medications = inv.lines.flatMap((l, i) => (l.kind === 'medicine' ? [medicationResource(deps.db, ids.medication(i), l)] : []));
  const charges = inv.lines.map((l, i) =>
    chargeItemResource(l, {
      id: ids.charge(i),
      patient: patientRef,
      practitioner: practitionerRef,
      medication: l.kind === 'medicine' ? ids.medication(i) : null,
      enteredDate: issued,
      void: inv.status === 'void',
    }),
  );
  const invoice = invoiceResource(inv, ids.invoice, { patient: patientRef, practitioner: practitionerRef, organization: organizationRef, charge: ids.charge }, issued);

  const composition: Resource = {
    resourceType: 'Composition',
    id: ids.composition,
    meta: { profile: [`${PROFILE}/InvoiceRecord`] },
    identifier: { system: 'https://ndhm.in/phr', value: ids.composition },
    status: inv.status === 'void' ? 'entered-in-error' : 'final',
    type: { text: 'Invoice Record' },
    subject: patientRef,
    date: issued,
    author: [practitionerRef ?? organizationRef],
    title: `${inv.documentType} ${inv.invoiceNumber}`,
    custodian: organizationRef,
    section: [{ title: inv.documentType, entry: [{ reference: urn(ids.invoice), type: 'Invoice' }] }],
  };

  const resources = [
    composition,
    patientResource(ids.patient, p, inv.patient.name),
    ...(practitioner ? [practitioner] : []),
    organizationResource(ids.organization, inv.clinic),
    invoice,
    ...charges,
    ...medications,
  ];
  return documentBundle(rid(inv.id, 'bundle'), fhirDateTime(deps.now(), deps.timeZone), resources);
}
