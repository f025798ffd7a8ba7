import { asc, eq } from 'drizzle-orm';
import { v5 as uuidv5 } from 'uuid';
import type { Db } from '../../db/open';
import {
  consultationAmendments,
  consultations,
  doctorProfiles,
  facility,
  patients,
  users,
  visits,
  type Diagnosis,
  type PrescriptionItem,
} from '../../db/schema';
import { ApiFailure } from '../core/context';
import { durationWords, parseFrequency, routeWords, timingWords } from '../../shared/dosage';
import { maxPerDayWords } from '../../shared/dose-words';
import { dispenseQuantity, stepItems } from './prescription-fhir-steps';
import { fhirDateTime, patientResource, PROFILE, ref, urn, V2_0203, type Json, type Resource } from './fhir';
import { EMPTY_NOTE, effectiveNote } from './consultations';
import { displayName } from './patient-search';
import { prescriptionOf } from './prescriptions';

/**
 * The ABDM PrescriptionRecord (NRCeS FHIR IG, R4): a `document` Bundle whose first entry is the
 * Composition (SNOMED CT 440545006 "Prescription record"), then the Patient, the Practitioner,
 * the Organization, one MedicationRequest per item and one Condition per diagnosis of the visit
 * (ICD-10 coded where the doctor picked a code), which the MedicationRequests name as their
 * reason. Every reference points at a `urn:uuid:` fullUrl inside the bundle.
 *
 * Deterministic: resource ids are derived from the prescription's id, and the bundle's times are
 * the prescription's own (when it was printed, else when it was last saved), so the same
 * prescription always gives the same bundle.
 */

const NS = '8c0b7e2a-4d1f-4b6e-9a3c-71f25d0e6b84';
const SNOMED = 'http://snomed.info/sct';
const ICD10 = 'http://hl7.org/fhir/sid/icd-10';
const UCUM = 'http://unitsofmeasure.org';
const CONDITION_CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';


/** A stable id for each resource of a prescription's bundle, so re-exports match. */
const rid = (prescriptionId: string, what: string) => uuidv5(`${prescriptionId}/${what}`, NS);

/** SNOMED CT routes of administration, keyed as prescriptions write the route. */
const ROUTES: Record<string, { code: string; display: string }> = {
  oral: { code: '26643006', display: 'Oral route' },
  po: { code: '26643006', display: 'Oral route' },
  topical: { code: '6064005', display: 'Topical route' },
  local: { code: '6064005', display: 'Topical route' },
  inhalation: { code: '447694001', display: 'Respiratory tract route' },
  inhaled: { code: '447694001', display: 'Respiratory tract route' },
  ophthalmic: { code: '54485002', display: 'Ophthalmic route' },
  eye: { code: '54485002', display: 'Ophthalmic route' },
  otic: { code: '10547007', display: 'Otic route' },
  ear: { code: '10547007', display: 'Otic route' },
  nasal: { code: '46713006', display: 'Nasal route' },
  im: { code: '78421000', display: 'Intramuscular route' },
  intramuscular: { code: '78421000', display: 'Intramuscular route' },
  iv: { code: '47625008', display: 'Intravenous route' },
  intravenous: { code: '47625008', display: 'Intravenous route' },
  sc: { code: '34206005', display: 'Subcutaneous route' },
  subcutaneous: { code: '34206005', display: 'Subcutaneous route' },
  vaginal: { code: '16857009', display: 'Vaginal route' },
  rectal: { code: '37161004', display: 'Rectal route' },
  sublingual: { code: '37839007', display: 'Sublingual route' },
};

/** FHIR event-timing codes for the morning-afternoon(-evening)-night pattern and meal timing. */
const SLOTS_3 = ['MORN', 'AFT', 'NIGHT'];
const SLOTS_4 = ['MORN', 'AFT', 'EVE', 'NIGHT'];
const MEAL_WHEN: Partial<Record<PrescriptionItem['timing'], string>> = { 'before-food': 'AC', 'after-food': 'PC', 'with-food': 'C', bedtime: 'HS' };

const days = (value: number): Json => ({ value, unit: value === 1 ? 'day' : 'days', system: UCUM, code: 'd' });

/** "PARACETAMOL 500 mg tablet": the generic name in capitals (NMC), its strength and form. */
export function medicationText(item: Pick<PrescriptionItem, 'genericName' | 'strength' | 'form'>): string {
  return [item.genericName.trim().toUpperCase(), item.strength?.trim() ?? '', item.form.trim()].filter((s) => s !== '').join(' ');
}

/** "1 tablet, 1-0-1 (morning and night), after food, for 5 days": the words the printed prescription uses. */
export function dosageText(item: PrescriptionItem): string {
  const freq = parseFrequency(item.frequency);
  return [
    item.dose.trim(),
    freq?.shorthand ? `${freq.shorthand} (${freq.en})` : item.frequency.trim(),
    timingWords(item.timing, 'en'),
    maxPerDayWords(item, 'en') ?? '',
    routeWords(item.route, 'en'),
    durationWords(item.durationDays, 'en'),
  ]
    .filter((p) => p !== '')
    .join(', ');
}

/** The structured schedule where the frequency is understood; null when it is not. */
function timingOf(item: PrescriptionItem): { timing: Json | null; asNeeded: boolean } {
  const freq = parseFrequency(item.frequency);
  if (!freq) return { timing: null, asNeeded: false };
  const code = { text: freq.shorthand ?? item.frequency.trim() };
  const bounds: Record<string, Json> = item.durationDays ? { boundsDuration: days(item.durationDays) } : {};
  const meal = MEAL_WHEN[item.timing];
  const shorthand = freq.shorthand ?? '';
  if (freq.perDay === null) {
    if (shorthand === 'SOS' || shorthand === 'PRN' || freq.en === 'when needed') return { timing: { code, ...(item.durationDays ? { repeat: bounds } : {}) }, asNeeded: true };
    if (shorthand === 'STAT' || freq.en === 'immediately, once') return { timing: { code, repeat: { count: 1 } }, asNeeded: false };
    if (freq.en === 'once a week') return { timing: { code, repeat: { ...bounds, frequency: 1, period: 1, periodUnit: 'wk' } }, asNeeded: false };
    return { timing: { code }, asNeeded: false };
  }
  const parts = shorthand.includes('-') ? shorthand.split('-') : null;
  if (parts) {
    // 1-0-1: a dose at each slot whose amount is not 0.
    const slots = parts.length === 4 ? SLOTS_4 : SLOTS_3;
    const when = parts.flatMap((p, i) => (/^0+(\.0+)?$/.test(p) ? [] : [slots[i] ?? '']));
    return { timing: { code, repeat: { ...bounds, frequency: when.length, period: 1, periodUnit: 'd', when } }, asNeeded: false };
  }
  const hourly = /^Q(\d{1,2})H$/.exec(shorthand);
  if (hourly) return { timing: { code, repeat: { ...bounds, frequency: 1, period: Number(hourly[1]), periodUnit: 'h' } }, asNeeded: false };
  if (freq.perDay < 1) {
    // Alternate days: once every 2 days.
    return { timing: { code, repeat: { ...bounds, frequency: 1, period: Math.round(1 / freq.perDay), periodUnit: 'd' } }, asNeeded: false };
  }
  const when = shorthand === 'HS' || freq.en === 'at bedtime' ? ['HS'] : freq.en === 'at night' ? ['NIGHT'] : freq.en === 'in the morning' ? ['MORN'] : meal ? [meal] : [];
  return {
    timing: { code, repeat: { ...bounds, frequency: freq.perDay, period: 1, periodUnit: 'd', ...(when.length > 0 ? { when } : {}) } },
    asNeeded: false,
  };
}

/** One Dosage: the words, the structured schedule where understood, the dose, an SOS item's maximum a day. */
function dosageOf(item: PrescriptionItem, sequence: number): Record<string, Json> {
  const { timing, asNeeded } = timingOf(item);
  // The dose is free text ("1 tablet", "thin layer"), always in `text`; also a quantity when it starts with a number.
  const amount = /^(\d+(?:\.\d+)?)\s*(.*)$/.exec(item.dose.trim());
  const max = amount?.[1] && item.maxPerDay ? { value: Number(amount[1]) * item.maxPerDay, ...(amount[2] ? { unit: amount[2] } : {}) } : null;
  return {
    sequence,
    text: dosageText(item),
    ...(item.timing !== 'any' ? { additionalInstruction: [{ text: timingWords(item.timing, 'en') }] } : {}),
    ...(item.instructions?.trim() ? { patientInstruction: item.instructions.trim() } : {}),
    ...(timing ? { timing } : {}),
    ...(asNeeded ? { asNeededBoolean: true } : {}),
    route: routeOf(item.route),
    ...(amount?.[1] ? { doseAndRate: [{ doseQuantity: { value: Number(amount[1]), ...(amount[2] ? { unit: amount[2] } : {}) } }] } : {}),
    ...(max ? { maxDosePerPeriod: { numerator: max, denominator: { value: 1, unit: 'day', system: UCUM, code: 'd' } } } : {}),
  };
}

function routeOf(route: string): Json {
  const known = ROUTES[route.trim().toLowerCase()];
  return known ? { coding: [{ system: SNOMED, code: known.code, display: known.display }], text: route.trim() } : { text: route.trim() };
}

interface BundleDeps {
  db: Db;
  timeZone: string;
}

/** The diagnoses of the visit as the note stands now (with amendments). */
function diagnosesOf(db: Db, visitId: string): Diagnosis[] {
  const c = db.select().from(consultations).where(eq(consultations.visitId, visitId)).get();
  if (!c || c.deletedAt !== null) return [];
  const amendments = db.select({ changes: consultationAmendments.changes }).from(consultationAmendments).where(eq(consultationAmendments.consultationId, c.id)).orderBy(asc(consultationAmendments.createdAt)).all();
  const note = effectiveNote({ ...EMPTY_NOTE, ...c.note }, amendments);
  return (note.diagnoses ?? []).filter((d) => d.title.trim() !== '' || (d.code ?? '').trim() !== '');
}

/** The PrescriptionRecord bundle of a visit's prescription. */
// Long by design: one FHIR document written out field by field, in the order of the ABDM PrescriptionRecord profile.
export function prescriptionBundle(deps: BundleDeps, visitId: string) {
  const rx = prescriptionOf(deps, visitId);
  if (!rx || rx.items.length === 0) throw new ApiFailure('conflict', 'There is nothing on this prescription yet.', { visitId: 'No items' });
  const visit = deps.db.select().from(visits).where(eq(visits.id, visitId)).get()!;
  const p = deps.db.select().from(patients).where(eq(patients.id, rx.patientId)).get()!;
  const doctor = deps.db.select().from(users).where(eq(users.id, rx.doctorId)).get()!;
  const profile = deps.db.select().from(doctorProfiles).where(eq(doctorProfiles.userId, rx.doctorId)).get();
  const clinic = deps.db.select().from(facility).get()!;
  const diagnoses = diagnosesOf(deps.db, visitId);

  const ids = {
    bundle: rid(rx.id, 'bundle'),
    composition: rid(rx.id, 'composition'),
    patient: rid(rx.id, 'patient'),
    practitioner: rid(rx.id, 'practitioner'),
    organization: rid(rx.id, 'organization'),
    request: (i: number) => rid(rx.id, `medication-request/${i}`),
    condition: (i: number) => rid(rx.id, `condition/${i}`),
  };
  const when = fhirDateTime(rx.printedAt ?? rx.updatedAt, deps.timeZone);
  const patientName = displayName(p);
  const doctorName = doctor.fullName;

  const patient = patientResource(ids.patient, p, patientName);

  const practitioner: Resource = {
    resourceType: 'Practitioner',
    id: ids.practitioner,
    meta: { profile: [`${PROFILE}/Practitioner`] },
    identifier: profile
      ? [
          {
            type: { coding: [{ system: V2_0203, code: 'MD', display: 'Medical License number' }] },
            value: profile.registrationNumber,
            ...(profile.registrationCouncil ? { assigner: { display: profile.registrationCouncil } } : {}),
          },
          ...(profile.hprId ? [{ type: { coding: [{ system: V2_0203, code: 'PRN', display: 'Provider number' }] }, system: 'https://doctor.abdm.gov.in', value: profile.hprId }] : []),
        ]
      : [],
    name: [{ text: doctorName }],
    ...(profile?.qualifications ? { qualification: [{ code: { text: profile.qualifications } }] } : {}),
  };

  const organization: Resource = {
    resourceType: 'Organization',
    id: ids.organization,
    meta: { profile: [`${PROFILE}/Organization`] },
    name: clinic.name,
    identifier: clinic.hfrId ? [{ type: { coding: [{ system: V2_0203, code: 'PRN', display: 'Provider number' }] }, system: 'https://facility.abdm.gov.in', value: clinic.hfrId }] : [],
    telecom: clinic.phone ? [{ system: 'phone', value: clinic.phone }] : [],
    address: [{ text: clinic.address, country: 'IN' }],
  };

  const conditions: Resource[] = diagnoses.map((d, i): Resource => {
    const code = d.code?.trim() ?? '';
    const title = d.title.trim() || code;
    const concept: Json = code ? { coding: [{ system: ICD10, code, display: title }], text: title } : { text: title };
    return {
      resourceType: 'Condition',
      id: ids.condition(i),
      meta: { profile: [`${PROFILE}/Condition`] },
      clinicalStatus: { coding: [{ system: CONDITION_CLINICAL, code: 'active', display: 'Active' }] },
      code: concept,
      subject: ref(ids.patient, patientName),
      recordedDate: visit.date,
      ...(d.note?.trim() ? { note: [{ text: d.note.trim() }] } : {}),
    };
  });

  const requests: Resource[] = rx.items.map((item, i) => {
    const dispense: Record<string, Json> = {};
    if (item.quantity !== null) dispense.quantity = dispenseQuantity(item);
    if (item.durationDays !== null) dispense.expectedSupplyDuration = days(item.durationDays);
    return {
      resourceType: 'MedicationRequest',
      id: ids.request(i),
      meta: { profile: [`${PROFILE}/MedicationRequest`] },
      identifier: [{ system: 'urn:clinic-workstation:rx-item', value: `${rx.rxNumber}/${i + 1}` }],
      groupIdentifier: { system: 'urn:clinic-workstation:rx', value: rx.rxNumber },
      status: 'active',
      intent: 'order',
      medicationCodeableConcept: { text: medicationText(item) },
      subject: ref(ids.patient, patientName),
      authoredOn: visit.date,
      requester: ref(ids.practitioner, doctorName),
      ...(conditions.length > 0 ? { reasonReference: conditions.map((c) => ref(c.id)) } : {}),
      ...(item.brand?.trim() ? { note: [{ text: `Brand: ${item.brand.trim()}` }] } : {}),
      // A taper is one Dosage per step, in order (FHIR `sequence`).
      dosageInstruction: stepItems(item).map((step, k) => dosageOf(step, k + 1)),
      ...(Object.keys(dispense).length > 0 ? { dispenseRequest: dispense } : {}),
    };
  });

  const composition: Resource = {
    resourceType: 'Composition',
    id: ids.composition,
    meta: { profile: [`${PROFILE}/PrescriptionRecord`] },
    identifier: { system: 'https://ndhm.in/phr', value: ids.composition },
    // Printed prescriptions are locked; a draft may still change.
    status: rx.status === 'printed' ? 'final' : 'preliminary',
    type: { coding: [{ system: SNOMED, code: '440545006', display: 'Prescription record' }], text: 'Prescription record' },
    subject: ref(ids.patient, patientName),
    date: when,
    author: [ref(ids.practitioner, doctorName)],
    title: `Prescription record ${rx.rxNumber}`,
    custodian: ref(ids.organization, clinic.name),
    section: [
      {
        title: 'Prescription record',
        code: { coding: [{ system: SNOMED, code: '440545006', display: 'Prescription record' }] },
        entry: requests.map((r) => ({ reference: urn(r.id), type: 'MedicationRequest' })),
      },
    ],
  };

  const resources = [composition, patient, practitioner, organization, ...requests, ...conditions];
  return {
    resourceType: 'Bundle' as const,
    id: ids.bundle,
    meta: { lastUpdated: when, profile: [`${PROFILE}/DocumentBundle`] },
    identifier: { system: 'http://hip.in', value: ids.bundle },
    type: 'document' as const,
    timestamp: when,
    entry: resources.map((r) => ({ fullUrl: urn(r.id), resource: r })),
  };
}
