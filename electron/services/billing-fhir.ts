import { eq } from 'drizzle-orm';
import { v5 as uuidv5 } from 'uuid';
import { patients } from '../../db/schema';
import { ApiFailure } from '../core/context';
import type { InvoiceView } from './billing';
import { fhirDateTime, patientResource, PROFILE, ref, urn, V2_0203, type Json, type Resource } from './fhir';
import { halfBpFraction, rupees } from '../../shared/money';

export { fhirDateTime };

/**
 * The ABDM InvoiceRecord (NRCeS FHIR IG, R4): a `document` Bundle whose first entry is the
 * Composition, then the Patient, Practitioner, Organization, the Invoice and one ChargeItem per
 * line. Every reference points at a `urn:uuid:` fullUrl inside the bundle. Amounts are Money in
 * INR with the value written from integer paise by string formatting (no float arithmetic).
 */

const NS = '2f7d3c1e-6b8a-4f57-9c0e-5d1a7b3e9f42';
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';


/** A stable id for each resource of an invoice's bundle, so re-exports match. */
const rid = (invoiceId: string, what: string) => uuidv5(`${invoiceId}/${what}`, NS);

/** Money from integer paise: the decimal is the exact string "123.45", carried as a JSON number. */
export function money(paise: number): { value: number; currency: 'INR' } {
  return { value: Number(rupees(paise)), currency: 'INR' };
}


interface BundleDeps {
  db: import('../../db/open').Db;
  now: () => number;
  timeZone: string;
}

// Long by design: one FHIR document written out field by field, in the order of the ABDM InvoiceRecord profile.
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
  };
  const issued = fhirDateTime(inv.issuedAt ?? inv.createdAt, deps.timeZone);

  const patient = patientResource(ids.patient, p, inv.patient.name);

  const organization: Resource = {
    resourceType: 'Organization',
    id: ids.organization,
    meta: { profile: [`${PROFILE}/Organization`] },
    name: inv.clinic.name,
    identifier: [
      ...(inv.clinic.hfrId ? [{ type: { coding: [{ system: V2_0203, code: 'PRN', display: 'Provider number' }] }, system: 'https://facility.abdm.gov.in', value: inv.clinic.hfrId }] : []),
      ...(inv.clinic.gstin ? [{ type: { text: 'GSTIN' }, value: inv.clinic.gstin }] : []),
    ],
    telecom: inv.clinic.phone ? [{ system: 'phone', value: inv.clinic.phone }] : [],
    address: [{ text: inv.clinic.address, country: 'IN' }],
  };

  const doctor = inv.doctor;
  const practitioner: Resource | null = doctor
    ? {
        resourceType: 'Practitioner',
        id: ids.practitioner,
        meta: { profile: [`${PROFILE}/Practitioner`] },
        identifier: [
          ...(doctor.registrationNumber
            ? [
                {
                  type: { coding: [{ system: V2_0203, code: 'MD', display: 'Medical License number' }] },
                  value: doctor.registrationNumber,
                  ...(doctor.registrationCouncil ? { assigner: { display: doctor.registrationCouncil } } : {}),
                },
              ]
            : []),
          ...(doctor.hprId ? [{ type: { coding: [{ system: V2_0203, code: 'PRN', display: 'Provider number' }] }, system: 'https://doctor.abdm.gov.in', value: doctor.hprId }] : []),
        ],
        name: [{ text: doctor.name }],
        ...(doctor.qualifications ? { qualification: [{ code: { text: doctor.qualifications } }] } : {}),
      }
    : null;

  const charges: Resource[] = inv.lines.map((l, i) => ({
    resourceType: 'ChargeItem',
    id: ids.charge(i),
    meta: { profile: [`${PROFILE}/ChargeItem`] },
    status: inv.status === 'void' ? 'entered-in-error' : 'billed',
    code: { text: l.description, ...(l.sacHsn ? { coding: [{ code: l.sacHsn, display: `${l.kind === 'medicine' ? 'HSN' : 'SAC'} ${l.sacHsn}` }] } : {}) },
    subject: ref(ids.patient, inv.patient.name),
    quantity: { value: l.quantity },
    ...(practitioner && (l.kind === 'consultation' || l.kind === 'follow-up') ? { performer: [{ actor: ref(ids.practitioner, doctor!.name) }] } : {}),
    enteredDate: issued,
  }));

  const lineItem: Json[] = inv.lines.map((l, i) => {
    const discount = l.discountPaise + l.invoiceDiscountPaise;
    const halfRate = halfBpFraction(l.gstRateBp);
    const components: Json[] = [
      { type: 'base', code: { text: l.taxInclusive ? 'MRP' : 'Rate' }, factor: l.quantity, amount: money(l.grossPaise) },
    ];
    if (discount > 0) components.push({ type: 'discount', code: { text: 'Discount' }, amount: money(discount) });
    if (l.gstRateBp > 0) {
      components.push({ type: 'tax', code: { text: 'CGST' }, factor: Number(halfRate), amount: money(l.cgstPaise) });
      components.push({ type: 'tax', code: { text: 'SGST' }, factor: Number(halfRate), amount: money(l.sgstPaise) });
    }
    components.push({ type: 'informational', code: { text: 'Taxable value' }, amount: money(l.taxablePaise) });
    components.push({ type: 'informational', code: { text: 'Line total' }, amount: money(l.totalPaise) });
    return { sequence: i + 1, chargeItemReference: ref(ids.charge(i)), priceComponent: components };
  });

  const t = inv.totals;
  const invoice: Resource = {
    resourceType: 'Invoice',
    id: ids.invoice,
    meta: { profile: [`${PROFILE}/Invoice`] },
    identifier: [{ value: inv.invoiceNumber }],
    status: inv.status === 'void' ? 'cancelled' : ['paid', 'partly refunded', 'refunded'].includes(inv.statusLabel) ? 'balanced' : 'issued',
    ...(inv.status === 'void' && inv.voidReason ? { cancelledReason: inv.voidReason } : {}),
    type: {
      coding: [
        inv.lines.every((l) => l.kind === 'medicine')
          ? { system: ACT_CODE, code: 'CPINV', display: 'clinical product invoice' }
          : inv.lines.some((l) => l.kind === 'medicine')
            ? { system: ACT_CODE, code: 'CSPINV', display: 'clinical service and product' }
            : { system: ACT_CODE, code: 'CSINV', display: 'clinical service invoice' },
      ],
      text: inv.documentType,
    },
    subject: ref(ids.patient, inv.patient.name),
    date: issued,
    ...(practitioner ? { participant: [{ role: { text: 'Doctor' }, actor: ref(ids.practitioner, doctor!.name) }] } : {}),
    issuer: ref(ids.organization, inv.clinic.name),
    lineItem,
    totalPriceComponent: [
      { type: 'base', code: { text: 'Gross' }, amount: money(t.grossPaise) },
      ...(t.lineDiscountPaise + t.invoiceDiscountPaise > 0 ? [{ type: 'discount', code: { text: 'Discount' }, amount: money(t.lineDiscountPaise + t.invoiceDiscountPaise) }] : []),
      ...(t.cgstPaise > 0 ? [{ type: 'tax', code: { text: 'CGST' }, amount: money(t.cgstPaise) }] : []),
      ...(t.sgstPaise > 0 ? [{ type: 'tax', code: { text: 'SGST' }, amount: money(t.sgstPaise) }] : []),
      { type: 'informational', code: { text: 'Round off' }, amount: money(t.roundOffPaise) },
    ],
    totalNet: money(t.taxablePaise),
    totalGross: money(t.totalPaise),
    note: [{ text: `${inv.documentType}. ${inv.amountInWords}.` }],
  };

  const composition: Resource = {
    resourceType: 'Composition',
    id: ids.composition,
    meta: { profile: [`${PROFILE}/InvoiceRecord`] },
    identifier: { system: 'https://ndhm.in/phr', value: ids.composition },
    status: inv.status === 'void' ? 'entered-in-error' : 'final',
    type: { coding: [{ display: 'Invoice Record' }], text: 'Invoice Record' },
    subject: ref(ids.patient, inv.patient.name),
    date: issued,
    author: [practitioner ? ref(ids.practitioner, doctor!.name) : ref(ids.organization, inv.clinic.name)],
    title: `${inv.documentType} ${inv.invoiceNumber}`,
    custodian: ref(ids.organization, inv.clinic.name),
    section: [
      {
        title: 'Invoice',
        entry: [{ reference: urn(ids.invoice), type: 'Invoice' }, ...charges.map((c) => ({ reference: urn(c.id), type: 'ChargeItem' }))],
      },
    ],
  };

  const resources = [composition, patient, ...(practitioner ? [practitioner] : []), organization, invoice, ...charges];
  return {
    resourceType: 'Bundle',
    id: rid(inv.id, 'bundle'),
    meta: { lastUpdated: fhirDateTime(deps.now(), deps.timeZone), profile: [`${PROFILE}/DocumentBundle`] },
    identifier: { system: 'http://hip.in', value: rid(inv.id, 'bundle') },
    type: 'document',
    timestamp: fhirDateTime(deps.now(), deps.timeZone),
    entry: resources.map((r) => ({ fullUrl: urn(r.id), resource: r })),
  };
}
