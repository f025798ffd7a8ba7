import type { Allergy } from '../../../db/schema';
import { PROFILE, SNOMED, type Json, type Resource } from '../fhir';

/*
 * The OPConsultRecord's entries that are not shared with the PrescriptionRecord: complaints and
 * history as Conditions, allergies, investigations and referral as ServiceRequests, the follow-up
 * as an Appointment (NRCeS IG 6.5.0 profiles). The app records these as words, not codes: each
 * is written with its text, and with a coding only where a profile's fixed system (SNOMED CT) has
 * a code the app knows for certain (categories), never an invented one.
 */

const CONDITION_CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const CONDITION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';
const ALLERGY_CLINICAL = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical';

export interface EntryRefs {
  patient: Json;
  practitioner: Json;
  encounter: Json;
  /** FHIR dateTime the note was made. */
  recorded: string;
}

/** A complaint or a past/chronic condition, in the patient's or doctor's words. */
export function wordsCondition(id: string, words: string, category: 'problem-list-item' | 'encounter-diagnosis', r: EntryRefs): Resource {
  return {
    resourceType: 'Condition',
    id,
    meta: { profile: [`${PROFILE}/Condition`] },
    clinicalStatus: { coding: [{ system: CONDITION_CLINICAL, code: 'active', display: 'Active' }] },
    category: [{ coding: [{ system: CONDITION_CATEGORY, code: category, display: category === 'problem-list-item' ? 'Problem List Item' : 'Encounter Diagnosis' }] }],
    code: { text: words },
    subject: r.patient,
    encounter: r.encounter,
    recordedDate: r.recorded,
    recorder: r.practitioner,
  };
}

const ALLERGY_CATEGORY: Record<Allergy['type'], string> = { food: 'food', medication: 'medication', environmental: 'environment' };
const CRITICALITY: Record<Allergy['severity'], string | null> = { mild: 'low', moderate: null, severe: 'high' };

/** An allergy on the patient's record (NRCeS AllergyIntolerance: the substance in text). */
export function allergyResource(id: string, a: Allergy, r: EntryRefs): Resource {
  const criticality = CRITICALITY[a.severity];
  return {
    resourceType: 'AllergyIntolerance',
    id,
    meta: { profile: [`${PROFILE}/AllergyIntolerance`] },
    clinicalStatus: { coding: [{ system: ALLERGY_CLINICAL, code: 'active', display: 'Active' }] },
    category: [ALLERGY_CATEGORY[a.type]],
    ...(criticality ? { criticality } : {}),
    code: { text: a.substance },
    patient: r.patient,
    recordedDate: r.recorded,
    recorder: r.practitioner,
    note: [{ text: `Severity: ${a.severity}` }],
  };
}

const LAB_PROCEDURE = { system: SNOMED, code: '108252007', display: 'Laboratory procedure' };
const REFERRAL = { system: SNOMED, code: '3457005', display: 'Patient referral' };

/** An investigation advised (a lab order, or a line of the advice) or a referral, as a ServiceRequest. */
export function serviceRequest(id: string, what: string, kind: 'investigation' | 'referral', r: EntryRefs & { authored: string }): Resource {
  return {
    resourceType: 'ServiceRequest',
    id,
    meta: { profile: [`${PROFILE}/ServiceRequest`] },
    status: 'active',
    intent: 'order',
    category: [{ coding: [kind === 'investigation' ? LAB_PROCEDURE : REFERRAL] }],
    code: { text: what },
    subject: r.patient,
    encounter: r.encounter,
    authoredOn: r.authored,
    requester: r.practitioner,
  };
}

/**
 * The follow-up as an Appointment. When the clinic booked it, its slot; otherwise the doctor's
 * date as a proposed appointment with that day as the requested period, and no start time: the
 * profile asks for a start, but the app knows only the day, and an invented time would be read as
 * a booking.
 */
export function followUpAppointment(id: string, date: string, booked: { start: string; end: string } | null, r: EntryRefs): Resource {
  return {
    resourceType: 'Appointment',
    id,
    meta: { profile: [`${PROFILE}/Appointment`] },
    status: booked ? 'booked' : 'proposed',
    serviceType: [{ coding: [{ system: SNOMED, code: '11429006', display: 'Consultation' }] }],
    appointmentType: { coding: [{ system: SNOMED, code: '185389009', display: 'Follow-up visit' }], text: 'Follow-up visit' },
    description: `Follow-up on ${date}`,
    ...(booked ? { start: booked.start, end: booked.end } : { requestedPeriod: [{ start: date, end: date }] }),
    created: r.recorded,
    participant: [
      { actor: r.patient, status: booked ? 'accepted' : 'needs-action' },
      { actor: r.practitioner, status: 'accepted' },
    ],
  };
}

/** Free text as a section's narrative (XHTML, escaped), one paragraph per non-empty part. */
export function narrative(parts: readonly (readonly [string, string])[]): Json | null {
  const kept = parts.filter(([, text]) => text.trim() !== '');
  if (kept.length === 0) return null;
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const body = kept.map(([label, text]) => `<p><b>${esc(label)}:</b> ${esc(text.trim()).replace(/\n/g, '<br/>')}</p>`).join('');
  return { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${body}</div>` };
}
