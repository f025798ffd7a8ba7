import type { patients } from '../../db/schema';

/** What the ABDM FHIR documents (NRCeS IG, R4) share: code systems, references, the Patient. */
export const PROFILE = 'https://nrces.in/ndhm/fhir/r4/StructureDefinition';
export const ID_TYPES = 'https://nrces.in/ndhm/fhir/r4/CodeSystem/ndhm-identifier-type-code';
export const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Resource = { resourceType: string; id: string; [k: string]: Json };

export const urn = (id: string) => `urn:uuid:${id}`;
export const ref = (id: string, display?: string): Json => (display ? { reference: urn(id), display } : { reference: urn(id) });

/** An instant as FHIR dateTime with the clinic's UTC offset, e.g. 2026-11-21T10:00:00+05:30. */
export function fhirDateTime(ms: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    })
      .formatToParts(ms)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : (parts.timeZoneName ?? 'GMT+00:00').replace('GMT', '');
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}

type PatientRow = typeof patients.$inferSelect;

/** The Patient with its MRN and, when known, the ABHA number (HIN) and ABHA address. */
export function patientResource(id: string, p: PatientRow, name: string): Resource {
  const identifier: Json[] = [{ type: { coding: [{ system: V2_0203, code: 'MR', display: 'Medical record number' }] }, value: p.mrn }];
  if (p.abhaNumber) {
    const n = p.abhaNumber;
    identifier.push({
      type: { coding: [{ system: ID_TYPES, code: 'HIN', display: 'ABHA number' }] },
      system: 'https://healthid.abdm.gov.in',
      value: `${n.slice(0, 2)}-${n.slice(2, 6)}-${n.slice(6, 10)}-${n.slice(10)}`,
    });
  }
  if (p.abhaAddress) {
    identifier.push({ type: { coding: [{ system: ID_TYPES, code: 'ABHA', display: 'ABHA address' }] }, system: 'https://healthid.abdm.gov.in', value: p.abhaAddress });
  }
  return {
    resourceType: 'Patient',
    id,
    meta: { profile: [`${PROFILE}/Patient`] },
    identifier,
    name: [{ text: name, given: [p.givenName], ...(p.familyName ? { family: p.familyName } : {}) }],
    gender: p.gender,
    birthDate: p.dob,
    ...(p.mobile ? { telecom: [{ system: 'phone', value: p.mobile, use: 'mobile' }] } : {}),
  };
}
