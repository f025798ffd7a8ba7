import { eq } from 'drizzle-orm';
import { v5 as uuidv5 } from 'uuid';
import type { Db } from '../../db/open';
import { patients, visits } from '../../db/schema';
import { ApiFailure } from '../core/context';
import { documentBundle, fhirDateTime, organizationResource, patientResource, practitionerResource, PROFILE, ref, SNOMED, urn, type Resource } from './fhir';
import { clinicCard, diagnosesOf, diagnosisCondition, doctorCard } from './fhir/clinical';
import { medicationRequestResource } from './fhir/medication-request';
import { displayName } from './patient-search';
import { prescriptionOf } from './prescriptions';

// The printed words of an item, kept importable from here (they moved with the MedicationRequest builder).
export { dosageText, medicationText } from './fhir/medication-request';

/**
 * The ABDM PrescriptionRecord (NRCeS FHIR IG 6.5.0, R4): a `document` Bundle whose first entry is the
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

/** A stable id for each resource of a prescription's bundle, so re-exports match. */
const rid = (prescriptionId: string, what: string) => uuidv5(`${prescriptionId}/${what}`, NS);

interface BundleDeps {
  db: Db;
  timeZone: string;
}

/** The PrescriptionRecord bundle of a visit's prescription. */
export function prescriptionBundle(deps: BundleDeps, visitId: string) {
  const rx = prescriptionOf(deps, visitId);
  if (!rx || rx.items.length === 0) throw new ApiFailure('conflict', 'There is nothing on this prescription yet.', { visitId: 'No items' });
  const visit = deps.db.select().from(visits).where(eq(visits.id, visitId)).get()!;
  const p = deps.db.select().from(patients).where(eq(patients.id, rx.patientId)).get()!;
  const doctor = doctorCard(deps.db, rx.doctorId);
  const clinic = clinicCard(deps.db);
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
  const patientRef = ref(ids.patient, patientName);
  const doctorRef = ref(ids.practitioner, doctor.name);

  const conditions = diagnosesOf(deps.db, visitId).map((d, i) => diagnosisCondition(d, { id: ids.condition(i), patient: patientRef, recordedDate: visit.date }));
  const requests = rx.items.map((item, i) =>
    medicationRequestResource(item, {
      id: ids.request(i),
      rxNumber: rx.rxNumber,
      index: i,
      patient: patientRef,
      practitioner: doctorRef,
      authoredOn: visit.date,
      reasons: conditions.map((c) => c.id),
    }),
  );
  const rxRecord = { system: SNOMED, code: '440545006', display: 'Prescription record' };
  const composition: Resource = {
    resourceType: 'Composition',
    id: ids.composition,
    meta: { profile: [`${PROFILE}/PrescriptionRecord`] },
    identifier: { system: 'https://ndhm.in/phr', value: ids.composition },
    // Printed prescriptions are locked; a draft may still change.
    status: rx.status === 'printed' ? 'final' : 'preliminary',
    type: { coding: [rxRecord], text: 'Prescription record' },
    subject: patientRef,
    date: when,
    author: [doctorRef],
    title: `Prescription record ${rx.rxNumber}`,
    custodian: ref(ids.organization, clinic.name),
    section: [{ title: 'Prescription record', code: { coding: [rxRecord] }, entry: requests.map((r) => ({ reference: urn(r.id), type: 'MedicationRequest' })) }],
  };

  const resources = [
    composition,
    patientResource(ids.patient, p, patientName),
    practitionerResource(ids.practitioner, doctor),
    organizationResource(ids.organization, clinic),
    ...requests,
    ...conditions,
  ];
  return documentBundle(ids.bundle, when, resources);
}
