import type { patients } from '../../db/schema';

/**
 * What the ABDM FHIR documents share: code systems, references, the Patient, Practitioner and
 * Organization, and the document Bundle itself.
 *
 * Written to the NRCeS "FHIR Implementation Guide for ABDM" version 6.5.0 (FHIR R4 4.0.1,
 * https://nrces.in/ndhm/fhir/r4/ , package ndhm.in 6.5.0, profiles dated 2025-03-18). The fixed
 * values each profile asks for are noted where they are written; docs/FHIR.md lists the choices
 * made where the guide leaves room.
 */
export const IG_VERSION = '6.5.0';
export const PROFILE = 'https://nrces.in/ndhm/fhir/r4/StructureDefinition';
export const ID_TYPES = 'https://nrces.in/ndhm/fhir/r4/CodeSystem/ndhm-identifier-type-code';
export const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
export const SNOMED = 'http://snomed.info/sct';
export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
export const ICD10 = 'http://hl7.org/fhir/sid/icd-10';

/** The ABDM registries, with the identifier systems the guide's examples use for them. */
export const ABHA_SYSTEM = 'https://healthid.ndhm.gov.in';
export const HPR_SYSTEM = 'https://doctor.ndhm.gov.in';
export const HFR_SYSTEM = 'https://facility.ndhm.gov.in';
/** The Indian Medical Register (NMC), which holds every state council's registrations. */
export const IMR_SYSTEM = 'https://www.nmc.org.in/information-desk/indian-medical-register';
/** GSTN's public taxpayer search, where a GSTIN is looked up. */
export const GSTIN_SYSTEM = 'https://services.gst.gov.in/services/searchtp';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Resource = { resourceType: string; id: string; [k: string]: Json };

export const urn = (id: string) => `urn:uuid:${id}`;
export const ref = (id: string, display?: string): Json => (display ? { reference: urn(id), display } : { reference: urn(id) });
export const coding = (system: string, code: string, display: string): Json => ({ system, code, display });
export const concept = (system: string, code: string, display: string, text = display): Json => ({ coding: [coding(system, code, display)], text });

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

/**
 * The value without empty strings, arrays or objects (FHIR forbids them: "elements must have a
 * value or children"). Leaves are trimmed of nothing else; numbers, booleans and null pass.
 */
export function prune(value: Json): Json | undefined {
  if (Array.isArray(value)) {
    const kept = value.map(prune).filter((v): v is Json => v !== undefined);
    return kept.length > 0 ? kept : undefined;
  }
  if (value !== null && typeof value === 'object') {
    const kept = Object.entries(value).flatMap(([k, v]) => {
      const p = prune(v);
      return p === undefined ? [] : [[k, p] as const];
    });
    return kept.length > 0 ? Object.fromEntries(kept) : undefined;
  }
  return value === '' ? undefined : value;
}

function pruneResource(r: Resource): Resource {
  const out: Resource = { resourceType: r.resourceType, id: r.id };
  for (const [k, v] of Object.entries(r)) {
    const p = prune(v);
    if (p !== undefined) out[k] = p;
  }
  return out;
}

type PatientRow = typeof patients.$inferSelect;

const idType = (system: string, code: string, display: string): Json => ({ coding: [coding(system, code, display)] });

/**
 * The Patient (NRCeS Patient: identifier 1..*, each with a coded type): the MRN and, when known, the
 * ABHA number and ABHA address. A birth date estimated from an age is written as the year only
 * (FHIR date allows YYYY), never as the invented 1 July the app files it under.
 */
export function patientResource(id: string, p: PatientRow, name: string): Resource {
  const identifier: Json[] = [{ type: idType(V2_0203, 'MR', 'Medical record number'), value: p.mrn }];
  if (p.abhaNumber) {
    const n = p.abhaNumber;
    identifier.push({
      type: idType(ID_TYPES, 'HIN', 'Health ID issued by NDHM'),
      system: ABHA_SYSTEM,
      value: `${n.slice(0, 2)}-${n.slice(2, 6)}-${n.slice(6, 10)}-${n.slice(10)}`,
    });
  }
  if (p.abhaAddress) {
    identifier.push({ type: idType(ID_TYPES, 'ABHA', 'Ayushman Bharat Health Account (ABHA) ID'), system: ABHA_SYSTEM, value: p.abhaAddress });
  }
  return {
    resourceType: 'Patient',
    id,
    meta: { profile: [`${PROFILE}/Patient`] },
    identifier,
    name: [{ text: name, given: [p.givenName], ...(p.familyName ? { family: p.familyName } : {}) }],
    gender: p.gender,
    birthDate: p.dobEstimated ? p.dob.slice(0, 4) : p.dob,
    ...(p.mobile ? { telecom: [{ system: 'phone', value: p.mobile, use: 'mobile' }] } : {}),
  };
}

export interface DoctorCard {
  name: string;
  registrationNumber: string | null;
  registrationCouncil: string | null;
  qualifications: string | null;
  hprId: string | null;
}

/**
 * The Practitioner (NRCeS Practitioner: identifier 1..* with a coded type): the medical council
 * registration (v2-0203 MD "Medical License number") in the Indian Medical Register with its
 * council as the assigner, and the HPR ID as the guide's example writes it (MD, system
 * doctor.ndhm.gov.in).
 */
export function practitionerResource(id: string, d: DoctorCard): Resource {
  const md = idType(V2_0203, 'MD', 'Medical License number');
  const identifier: Json[] = [];
  if (d.registrationNumber) {
    identifier.push({ type: md, system: IMR_SYSTEM, value: d.registrationNumber, ...(d.registrationCouncil ? { assigner: { display: d.registrationCouncil } } : {}) });
  }
  if (d.hprId) identifier.push({ type: md, system: HPR_SYSTEM, value: d.hprId });
  return {
    resourceType: 'Practitioner',
    id,
    meta: { profile: [`${PROFILE}/Practitioner`] },
    identifier,
    name: [{ text: d.name }],
    ...(d.qualifications ? { qualification: [{ code: { text: d.qualifications } }] } : {}),
  };
}

export interface ClinicCard {
  name: string;
  address: string;
  phone: string;
  hfrId: string | null;
  gstin?: string | null | undefined;
}

/**
 * The Organization (NRCeS Organization: identifier with a coded type and a system). The HFR ID
 * as the guide's example writes it (v2-0203 PRN, facility.ndhm.gov.in); the GSTIN as a tax id. A
 * clinic with neither has no identifier at all: an empty list is not allowed in FHIR, and the
 * profile's 1..* cannot be met honestly until the clinic registers on HFR.
 */
export function organizationResource(id: string, c: ClinicCard): Resource {
  const identifier: Json[] = [];
  if (c.hfrId) identifier.push({ type: idType(V2_0203, 'PRN', 'Provider number'), system: HFR_SYSTEM, value: c.hfrId });
  if (c.gstin) identifier.push({ type: idType(V2_0203, 'TAX', 'Tax ID number'), system: GSTIN_SYSTEM, value: c.gstin });
  return {
    resourceType: 'Organization',
    id,
    meta: { profile: [`${PROFILE}/Organization`] },
    identifier,
    name: c.name,
    telecom: c.phone ? [{ system: 'phone', value: c.phone, use: 'work' }] : [],
    address: c.address ? [{ text: c.address, country: 'IN' }] : [],
  };
}

/**
 * A `document` Bundle (NRCeS DocumentBundle: meta.versionId, identifier with system and value,
 * timestamp), the Composition first. Every resource is pruned of empty values.
 */
export function documentBundle(id: string, when: string, resources: Resource[]) {
  return {
    resourceType: 'Bundle' as const,
    id,
    meta: { versionId: '1', lastUpdated: when, profile: [`${PROFILE}/DocumentBundle`] },
    identifier: { system: 'http://hip.in', value: id },
    type: 'document' as const,
    timestamp: when,
    entry: resources.map((r) => ({ fullUrl: urn(r.id), resource: pruneResource(r) })),
  };
}
