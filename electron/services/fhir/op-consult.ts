import { and, eq, isNull, ne } from 'drizzle-orm';
import { v5 as uuidv5 } from 'uuid';
import type { Db } from '../../../db/open';
import { appointments, consultationAmendments, labOrders, labTests, patients, visits } from '../../../db/schema';
import { ApiFailure } from '../../core/context';
import { displayName } from '../patient-search';
import { prescriptionOf } from '../prescriptions';
import { documentBundle, fhirDateTime, organizationResource, patientResource, practitionerResource, PROFILE, ref, SNOMED, urn, type Json, type Resource } from '../fhir';
import { clinicCard, consultationOf, diagnosisCondition, doctorCard } from './clinical';
import { medicationRequestResource } from './medication-request';
import { vitalObservations } from './observations';
import { allergyResource, followUpAppointment, narrative, serviceRequest, wordsCondition, type EntryRefs } from './op-consult-entries';

/**
 * The ABDM OPConsultRecord (NRCeS FHIR IG 6.5.0) of a completed visit: a `document` Bundle whose
 * Composition is typed SNOMED CT 371530004 "Clinical consultation report", refers to the visit's
 * Encounter, and has the profile's sections for what the note records, in the profile's order:
 * chief complaints, physical examination (vitals as LOINC/UCUM Observations, the examination in
 * words), allergies, medical history, investigation advice, medications (the prescription's
 * MedicationRequests), follow-up, referral; then, after the profile's sections as its open-at-end
 * slicing allows, the diagnoses (ICD-10 Conditions, also the Encounter's diagnoses) and the advice.
 *
 * Deterministic: ids come from the consultation's id and times from the visit and the note.
 */

const NS = '5b7e0c3a-91d4-4c2f-8e6a-0d3f7a9b1c24';
const rid = (consultationId: string, what: string) => uuidv5(`${consultationId}/${what}`, NS);

/** The OPConsultRecord section codes (SNOMED CT), as the profile fixes them. */
export const OP_SECTIONS = {
  chiefComplaints: { code: '422843007', display: 'Chief complaint section', title: 'Chief complaints' },
  physicalExamination: { code: '425044008', display: 'Physical exam section', title: 'Physical examination' },
  allergies: { code: '722446000', display: 'Allergy record', title: 'Allergies' },
  medicalHistory: { code: '371529009', display: 'History and physical report', title: 'Medical history' },
  investigationAdvice: { code: '721963009', display: 'Order document', title: 'Investigation advice' },
  medications: { code: '721912009', display: 'Medication summary document', title: 'Medications' },
  followUp: { code: '390906007', display: 'Follow-up encounter', title: 'Follow-up' },
  referral: { code: '306206005', display: 'Referral to service', title: 'Referral' },
} as const;

type SectionCode = (typeof OP_SECTIONS)[keyof typeof OP_SECTIONS];

interface Section {
  title: string;
  code: SectionCode | null;
  entries: Resource[];
  text?: Json | null;
}

/** One of the profile's sections (its fixed SNOMED CT code), or one after them (a title only). */
const fixedSection = (key: keyof typeof OP_SECTIONS, entries: Resource[], text?: Json | null): Section => ({ title: OP_SECTIONS[key].title, code: OP_SECTIONS[key], entries, text });
const otherSection = (title: string, entries: Resource[], text?: Json | null): Section => ({ title, code: null, entries, text });

function sectionJson(s: Section): Json | null {
  if (s.entries.length === 0 && !s.text) return null;
  return {
    title: s.title,
    code: s.code ? { coding: [{ system: SNOMED, code: s.code.code, display: s.code.display }], text: s.title } : { text: s.title },
    ...(s.text ? { text: s.text } : {}),
    entry: s.entries.map((e) => ({ reference: urn(e.id), type: e.resourceType })),
  };
}

interface Deps {
  db: Db;
  timeZone: string;
}

/** A booked appointment of the patient with this doctor on the follow-up day, as FHIR instants. */
function bookedFollowUp(deps: Deps, patientId: string, doctorId: string, date: string): { start: string; end: string } | null {
  const a = deps.db
    .select()
    .from(appointments)
    .where(and(eq(appointments.patientId, patientId), eq(appointments.doctorId, doctorId), eq(appointments.date, date), ne(appointments.status, 'cancelled'), isNull(appointments.deletedAt)))
    .get();
  if (!a) return null;
  const offset = fhirDateTime(Date.parse(`${date}T12:00:00Z`), deps.timeZone).slice(-6);
  return { start: `${date}T${a.start}:00${offset}`, end: `${date}T${a.end}:00${offset}` };
}

/** The investigations advised: the visit's lab orders, then each line of the note's (and prescription's) investigations. */
function investigationWords(deps: Deps, visitId: string, noteText: string, rxText: string | null): string[] {
  const ordered = deps.db
    .select({ name: labTests.name })
    .from(labOrders)
    .innerJoin(labTests, eq(labTests.id, labOrders.testId))
    .where(and(eq(labOrders.visitId, visitId), ne(labOrders.status, 'cancelled'), isNull(labOrders.deletedAt)))
    .all()
    .map((o) => o.name);
  const written = [noteText, rxText ?? ''].flatMap((t) => t.split('\n')).map((s) => s.trim()).filter((s) => s !== '');
  return [...new Set([...ordered, ...written])];
}

/** The visit as the Composition's Encounter (NRCeS Encounter): ambulatory, finished, with its diagnoses. */
function encounterResource(id: (what: string) => string, refs: EntryRefs, v: { start: number; end: number; timeZone: string; visitId: string; clinic: string }, diagnoses: Resource[]): Resource {
  return {
    resourceType: 'Encounter',
    id: id('encounter'),
    meta: { profile: [`${PROFILE}/Encounter`] },
    identifier: [{ system: 'urn:clinic-workstation:visit', value: v.visitId }],
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
    subject: refs.patient,
    participant: [{ individual: refs.practitioner }],
    period: { start: fhirDateTime(v.start, v.timeZone), end: fhirDateTime(v.end, v.timeZone) },
    diagnosis: diagnoses.map((d, i) => ({ condition: ref(d.id), use: { coding: [{ system: SNOMED, code: '39154008', display: 'Clinical diagnosis' }] }, rank: i + 1 })),
    serviceProvider: ref(id('organization'), v.clinic),
  };
}

/** The OPConsultRecord bundle of a visit whose consultation is completed. */
export function opConsultBundle(deps: Deps, visitId: string) {
  const visit = deps.db.select().from(visits).where(eq(visits.id, visitId)).get();
  const c = consultationOf(deps.db, visitId);
  if (!visit || !c || c.row.status !== 'completed' || c.row.completedAt === null) {
    throw new ApiFailure('conflict', 'The consultation of this visit is not completed yet: complete it first, then share the record.', { visitId: 'Consultation not completed' });
  }
  const { row, note } = c;
  const p = deps.db.select().from(patients).where(eq(patients.id, visit.patientId)).get()!;
  const doctor = doctorCard(deps.db, row.doctorId);
  const clinic = clinicCard(deps.db);
  const rx = prescriptionOf(deps, visitId);
  const id = (what: string) => rid(row.id, what);
  const amended = deps.db.select({ id: consultationAmendments.id }).from(consultationAmendments).where(eq(consultationAmendments.consultationId, row.id)).all().length > 0;
  const completedAt = row.completedAt ?? row.updatedAt;
  const when = fhirDateTime(amended ? row.updatedAt : completedAt, deps.timeZone);
  const patientName = displayName(p);
  const refs: EntryRefs = { patient: ref(id('patient'), patientName), practitioner: ref(id('practitioner'), doctor.name), encounter: ref(id('encounter')), recorded: when };

  const complaints = note.chiefComplaints.filter((s) => s.trim() !== '').map((s, i) => wordsCondition(id(`complaint/${i}`), s.trim(), 'problem-list-item', refs));
  const vitals = vitalObservations(note.vitals, { id, patient: refs.patient, performer: refs.practitioner, encounter: refs.encounter, effective: when });
  const allergies = p.allergies.map((a, i) => allergyResource(id(`allergy/${i}`), a, refs));
  const history = p.chronicConditions.filter((s) => s.trim() !== '').map((s, i) => wordsCondition(id(`history/${i}`), s.trim(), 'problem-list-item', refs));
  const investigations = investigationWords(deps, visitId, note.investigations, rx?.investigations ?? null).map((w, i) => serviceRequest(id(`investigation/${i}`), w, 'investigation', { ...refs, authored: visit.date }));
  const diagnoses = note.diagnoses
    .filter((d) => d.title.trim() !== '' || (d.code ?? '').trim() !== '')
    .map((d, i) => diagnosisCondition(d, { id: id(`diagnosis/${i}`), patient: refs.patient, encounter: refs.encounter, recordedDate: visit.date }));
  const medications = (rx?.items ?? []).map((item, i) =>
    medicationRequestResource(item, { id: id(`medication-request/${i}`), rxNumber: rx!.rxNumber, index: i, patient: refs.patient, practitioner: refs.practitioner, authoredOn: visit.date, reasons: diagnoses.map((d) => d.id) }),
  );
  const followUpDate = note.followUpDate ?? rx?.followUpDate ?? visit.followUpDate;
  const followUp = followUpDate ? [followUpAppointment(id('follow-up'), followUpDate, bookedFollowUp(deps, p.id, row.doctorId, followUpDate), refs)] : [];
  const referral = note.referral.trim() ? [serviceRequest(id('referral'), note.referral.trim(), 'referral', { ...refs, authored: visit.date })] : [];

  const sections: Section[] = [
    fixedSection('chiefComplaints', complaints, narrative([['History of present illness', note.historyOfPresentIllness]])),
    fixedSection('physicalExamination', vitals, narrative([['Examination', note.examination]])),
    fixedSection('allergies', allergies),
    fixedSection('medicalHistory', history, narrative([['Past history', note.pastHistory]])),
    fixedSection('investigationAdvice', investigations),
    fixedSection('medications', medications),
    fixedSection('followUp', followUp),
    fixedSection('referral', referral),
    otherSection('Diagnoses', diagnoses),
    otherSection('Advice', [], narrative([['Treatment plan', note.treatmentPlan], ['Advice', [note.advice, rx?.advice ?? ''].filter((s) => s.trim()).join('\n')], ['Diet', rx?.diet ?? '']])),
  ];

  const encounter = encounterResource(id, refs, { start: visit.checkedInAt, end: visit.finishedAt ?? completedAt, timeZone: deps.timeZone, visitId: visit.id, clinic: clinic.name }, diagnoses);
  const composition: Resource = {
    resourceType: 'Composition',
    id: id('composition'),
    meta: { profile: [`${PROFILE}/OPConsultRecord`] },
    identifier: { system: 'https://ndhm.in/phr', value: id('composition') },
    status: amended ? 'amended' : 'final',
    type: { coding: [{ system: SNOMED, code: '371530004', display: 'Clinical consultation report' }], text: 'Clinical consultation report' },
    subject: refs.patient,
    encounter: refs.encounter,
    date: when,
    author: [refs.practitioner],
    title: 'Consultation Report',
    custodian: ref(id('organization'), clinic.name),
    section: sections.map(sectionJson).filter((s): s is Json => s !== null),
  };
  const resources = [
    composition,
    patientResource(id('patient'), p, patientName),
    practitionerResource(id('practitioner'), doctor),
    organizationResource(id('organization'), clinic),
    encounter,
    ...sections.flatMap((s) => s.entries),
  ];
  return documentBundle(id('bundle'), when, resources);
}
