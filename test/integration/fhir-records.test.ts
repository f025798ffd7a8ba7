import { describe, expect, it } from 'vitest';
import type { PrescriptionItem } from '../../db/schema';
import type { Output } from '../../electron/api';
import { fahrenheitToCelsius } from '../../shared/vitals';
import { fhirProblems } from '../helpers/fhir-schema';
import { ABHA_SYSTEM, HPR_SYSTEM, ICD10, IMR, LOINC, references, SNOMED, UCUM, V2_0203 } from '../helpers/fhir-profile';
import { auditRows, checkIn, failure, openDoctorDesk, type DoctorDesk } from './doctor-fixtures';

/**
 * The ABDM documents of a visit against the NRCeS FHIR IG 6.5.0: the FHIR R4 JSON schema (and no
 * empty values) plus the profiles' fixed codes. The clinic is not registered on HFR and has no
 * GSTIN; the patient was registered with an age only.
 */

type Bundle = Output<'consultations.fhir'>;
type Res = Record<string, unknown> & { id: string; resourceType: string };

const LAB_CBC = '00000000-0000-7000-8000-000000000001'; // seeded: Complete blood count

const ITEM: PrescriptionItem = {
  drugId: null,
  genericName: 'Paracetamol',
  brand: null,
  form: 'tablet',
  strength: '500 mg',
  route: 'oral',
  dose: '1 tab',
  frequency: '1-0-1',
  timing: 'after-food',
  durationDays: 3,
  quantity: 6,
  instructions: null,
  instructionsHi: null,
  acknowledged: [],
};

/** Ravi, 45, registered with an age only, allergic to sulfa, diabetic; seen by Dr Rao today. */
function ageOnlyVisit(d: DoctorDesk): { patientId: string; visitId: string } {
  const r = d.c.ok(
    'patients.register',
    {
      patient: {
        givenName: 'Ravi',
        familyName: 'Kumar',
        gender: 'male',
        ageYears: 45,
        mobile: '9822000099',
        allergies: [{ type: 'medication', substance: 'Sulfonamides', severity: 'severe' }],
        chronicConditions: ['Type 2 diabetes'],
      },
      acknowledgeDuplicates: [],
    },
    d.reception,
  );
  if (r.status !== 'registered') throw new Error('not registered');
  const v = checkIn(d, r.patient.id, d.drRao);
  expect(d.c.ok('queue.callNext', {}, d.rao).visitId).toBe(v.visitId);
  return { patientId: r.patient.id, visitId: v.visitId };
}

function all(bundle: { entry: { resource: { resourceType: string } }[] }, type: string): Res[] {
  return bundle.entry.filter((e) => e.resource.resourceType === type).map((e) => e.resource as Res);
}

function expectResolved(bundle: { entry: { fullUrl: string; resource: { id: string } }[] }) {
  const fullUrls = new Set(bundle.entry.map((e) => e.fullUrl));
  for (const e of bundle.entry) expect(e.fullUrl).toBe(`urn:uuid:${e.resource.id}`);
  for (const r of references(bundle)) expect(fullUrls.has(r), `${r} resolves inside the bundle`).toBe(true);
}

/** What every document of this clinic shares: the year-only birth date, the unregistered clinic, the doctor's identifiers. */
function expectSharedResources(bundle: Bundle) {
  const [patient] = all(bundle, 'Patient');
  expect(patient).toMatchObject({ birthDate: '1981', identifier: [{ type: { coding: [{ system: V2_0203, code: 'MR', display: 'Medical record number' }] } }] });
  const [organization] = all(bundle, 'Organization');
  expect(organization).not.toHaveProperty('identifier');
  expect(organization).not.toHaveProperty('telecom', []);
  const [practitioner] = all(bundle, 'Practitioner');
  expect(practitioner).toMatchObject({
    identifier: [{ type: { coding: [{ system: V2_0203, code: 'MD', display: 'Medical License number' }] }, system: IMR, value: 'MMC-2011-04567', assigner: { display: 'Maharashtra Medical Council' } }],
  });
  expect(bundle.meta).toMatchObject({ versionId: '1' });
}

describe('ABDM records of an age-only patient at a clinic not yet on HFR', () => {
  it('OPConsultRecord: refused until the visit is completed, then SNOMED 371530004 with the profile sections, LOINC/UCUM vitals, ICD-10 diagnoses, audited', () => {
    const d = openDoctorDesk();
    const { visitId } = ageOnlyVisit(d);
    d.c.ok(
      'consultations.save',
      {
        visitId,
        note: {
          vitals: { bpSystolic: 150, bpDiastolic: 95, pulse: 88, temperatureC: fahrenheitToCelsius(101.2), spo2: 97, weightKg: 72, heightCm: 170, bloodSugar: 180, bloodSugarType: 'random' },
          chiefComplaints: ['Fever for 3 days', 'Body ache'],
          historyOfPresentIllness: 'High-grade fever, evening rise <no chills>.',
          examination: 'Throat congested.',
          diagnoses: [{ code: 'A90', title: 'Dengue fever [classical dengue]' }, { code: null, title: 'Viral fever' }],
          investigations: 'Dengue NS1 antigen',
          advice: 'Plenty of fluids.',
          referral: '',
          followUpDate: '2026-11-24',
        },
      },
      d.rao,
    );
    d.c.ok('labs.order', { visitId, testIds: [LAB_CBC] }, d.rao);
    d.c.ok('prescriptions.save', { visitId, items: [ITEM] }, d.rao);

    const early = failure(d.c.call('consultations.fhir', { visitId }, d.rao));
    expect(early).toMatchObject({ code: 'conflict', message: expect.stringMatching(/not completed/) });
    d.c.ok('consultations.complete', { visitId }, d.rao);

    const bundle = d.c.ok('consultations.fhir', { visitId }, d.rao);
    expect(fhirProblems(bundle)).toEqual([]);
    expectResolved(bundle);
    expectSharedResources(bundle);
    const composition = bundle.entry[0]!.resource as Res;
    expect(composition).toMatchObject({
      resourceType: 'Composition',
      meta: { profile: ['https://nrces.in/ndhm/fhir/r4/StructureDefinition/OPConsultRecord'] },
      status: 'final',
      type: { coding: [{ system: SNOMED, code: '371530004', display: 'Clinical consultation report' }] },
      encounter: { reference: `urn:uuid:${all(bundle, 'Encounter')[0]!.id}` },
    });
    const sections = composition.section as { title: string; code: { coding?: { system: string; code: string; display: string }[] }; entry?: { reference: string; type: string }[]; text?: { div: string } }[];
    expect(sections.map((s) => [s.code.coding?.[0]?.system ?? null, s.code.coding?.[0]?.code ?? null, s.title])).toEqual([
      [SNOMED, '422843007', 'Chief complaints'],
      [SNOMED, '425044008', 'Physical examination'],
      [SNOMED, '722446000', 'Allergies'],
      [SNOMED, '371529009', 'Medical history'],
      [SNOMED, '721963009', 'Investigation advice'],
      [SNOMED, '721912009', 'Medications'],
      [SNOMED, '390906007', 'Follow-up'],
      [null, null, 'Diagnoses'],
      [null, null, 'Advice'],
    ]);
    const types = (i: number) => (sections[i]!.entry ?? []).map((e) => e.type);
    expect(types(0)).toEqual(['Condition', 'Condition']);
    expect(sections[0]!.text!.div).toContain('evening rise &lt;no chills&gt;');
    expect(types(1)).toEqual(Array(7).fill('Observation'));
    expect(types(2)).toEqual(['AllergyIntolerance']);
    expect(types(3)).toEqual(['Condition']);
    expect(types(4)).toEqual(['ServiceRequest', 'ServiceRequest']);
    expect(types(5)).toEqual(['MedicationRequest']);
    expect(types(6)).toEqual(['Appointment']);
    expect(types(7)).toEqual(['Condition', 'Condition']);

    // Vitals: LOINC codes with UCUM units; blood pressure as one panel of two parts.
    const obs = all(bundle, 'Observation');
    const byCode = (code: string) => obs.find((o) => (o.code as { coding: { code: string }[] }).coding[0]!.code === code);
    expect(byCode('85354-9')).toMatchObject({
      code: { coding: [{ system: LOINC }] },
      component: [
        { code: { coding: [{ system: LOINC, code: '8480-6' }] }, valueQuantity: { value: 150, system: UCUM, code: 'mm[Hg]' } },
        { code: { coding: [{ system: LOINC, code: '8462-4' }] }, valueQuantity: { value: 95, system: UCUM, code: 'mm[Hg]' } },
      ],
    });
    expect(byCode('8867-4')).toMatchObject({ valueQuantity: { value: 88, system: UCUM, code: '/min' } });
    // 101.2 °F typed is stored as 38.444… °C (so it shows back as typed); the record carries 38.44.
    expect(byCode('8310-5')).toMatchObject({ valueQuantity: { value: 38.44, system: UCUM, code: 'Cel' } });
    expect(String((byCode('8310-5')!.valueQuantity as { value: number }).value)).toMatch(/^\d+(\.\d{1,2})?$/);
    expect(byCode('29463-7')).toMatchObject({ valueQuantity: { value: 72, system: UCUM, code: 'kg' } });
    expect(byCode('2345-7')).toMatchObject({ valueQuantity: { value: 180, system: UCUM, code: 'mg/dL' } });

    // Diagnoses: ICD-10 where picked, words otherwise, and the Encounter's diagnoses.
    const diagnoses = sections[7]!.entry!.map((e) => bundle.entry.find((x) => x.fullUrl === e.reference)!.resource as Res);
    expect(diagnoses[0]).toMatchObject({ code: { coding: [{ system: ICD10, code: 'A90', display: 'Dengue fever [classical dengue]' }] } });
    expect(diagnoses[1]!.code).toEqual({ text: 'Viral fever' });
    expect(all(bundle, 'Encounter')[0]).toMatchObject({ status: 'finished', class: { code: 'AMB' }, diagnosis: [{ condition: { reference: `urn:uuid:${diagnoses[0]!.id}` } }, { rank: 2 }] });
    // Investigations: the lab order, then the note's words; the drug in words only (no SNOMED CT code known).
    expect(all(bundle, 'ServiceRequest').map((s) => (s.code as { text: string }).text)).toEqual(['Complete blood count (CBC)', 'Dengue NS1 antigen']);
    expect(all(bundle, 'MedicationRequest')[0]!.medicationCodeableConcept).toEqual({ text: 'PARACETAMOL 500 mg tablet' });
    // The follow-up day with no booking: proposed for that day, no invented time.
    expect(all(bundle, 'Appointment')[0]).toMatchObject({ status: 'proposed', requestedPeriod: [{ start: '2026-11-24', end: '2026-11-24' }] });
    expect(all(bundle, 'Appointment')[0]).not.toHaveProperty('start');
    expect(all(bundle, 'AllergyIntolerance')[0]).toMatchObject({ code: { text: 'Sulfonamides' }, criticality: 'high', category: ['medication'] });

    // Deterministic; other doctors and reception are refused; exports are audited.
    expect(d.c.ok('consultations.fhir', { visitId }, d.rao)).toEqual(bundle);
    expect(d.c.ok('consultations.fhir', { visitId }, d.admin).id).toBe(bundle.id);
    expect(failure(d.c.call('consultations.fhir', { visitId }, d.reception)).code).toBe('forbidden');
    expect(failure(d.c.call('consultations.fhir', { visitId }, d.iyer)).code).toBe('forbidden');
    const audited = auditRows(d, 'consultations.fhir');
    expect(audited.map((a) => a.outcome)).toEqual(['failed', 'ok', 'ok', 'ok', 'forbidden', 'forbidden']);
    expect(audited[1]!.detail).toMatch(/^FHIR OPConsultRecord export, patient /);

    // An amendment shows: the Composition is amended and carries the amended diagnosis.
    d.c.ok('consultations.amend', { visitId, note: { diagnoses: [{ code: 'A91', title: 'Dengue haemorrhagic fever' }] }, reason: 'Platelets fell' }, d.rao);
    const amended = d.c.ok('consultations.fhir', { visitId }, d.rao);
    expect(fhirProblems(amended)).toEqual([]);
    expect(amended.entry[0]!.resource).toMatchObject({ status: 'amended' });
    expect(all(amended, 'Condition').map((c) => c.code)).toContainEqual({ coding: [{ system: ICD10, code: 'A91', display: 'Dengue haemorrhagic fever' }], text: 'Dengue haemorrhagic fever' });
  });

  it('PrescriptionRecord: valid, year-only birth date, no identifier for the unregistered clinic, drugs in words without an empty coding', () => {
    const d = openDoctorDesk();
    const { visitId } = ageOnlyVisit(d);
    d.c.ok('consultations.save', { visitId, note: { diagnoses: [{ code: 'J02.9', title: 'Acute pharyngitis, unspecified' }] } }, d.rao);
    d.c.ok('prescriptions.save', { visitId, items: [ITEM] }, d.rao);
    const bundle = d.c.ok('prescriptions.fhir', { visitId }, d.rao);
    expect(fhirProblems(bundle)).toEqual([]);
    expectResolved(bundle);
    expectSharedResources(bundle);
    expect(bundle.entry[0]!.resource).toMatchObject({
      type: { coding: [{ system: SNOMED, code: '440545006', display: 'Prescription record' }] },
      section: [{ code: { coding: [{ system: SNOMED, code: '440545006', display: 'Prescription record' }] } }],
    });
    expect(all(bundle, 'MedicationRequest')[0]!.medicationCodeableConcept).toEqual({ text: 'PARACETAMOL 500 mg tablet' });
    expect(all(bundle, 'Condition')[0]).toMatchObject({ code: { coding: [{ system: ICD10, code: 'J02.9' }] } });
  });

  it('the ABHA number and the HPR ID carry the registries’ systems', () => {
    const d = openDoctorDesk();
    const { patientId, visitId } = ageOnlyVisit(d);
    d.c.ok('patients.update', { id: patientId, patch: { abhaNumber: '91-1234-5678-9012' } }, d.reception);
    d.c.ok(
      'doctors.upsert',
      {
        userId: d.drRao,
        specialization: 'General Medicine',
        qualifications: 'MBBS, MD',
        registrationCouncil: 'Maharashtra Medical Council',
        registrationNumber: 'MMC-2011-04567',
        hprId: '71234567890123',
        consultationFeePaise: 50_000,
        followUpFeePaise: 20_000,
        followUpWindowDays: 7,
        schedule: [{ weekday: 6, start: '09:00', end: '13:00', slotMinutes: 15, maxPerSlot: 2, mode: 'in-person' }],
      },
      d.admin,
    );
    d.c.ok('prescriptions.save', { visitId, items: [ITEM] }, d.rao);
    const bundle = d.c.ok('prescriptions.fhir', { visitId }, d.rao);
    expect(fhirProblems(bundle)).toEqual([]);
    expect(all(bundle, 'Patient')[0]!.identifier).toContainEqual({ type: { coding: [{ system: 'https://nrces.in/ndhm/fhir/r4/CodeSystem/ndhm-identifier-type-code', code: 'HIN', display: 'Health ID issued by NDHM' }] }, system: ABHA_SYSTEM, value: '91-1234-5678-9012' });
    expect(all(bundle, 'Practitioner')[0]!.identifier).toContainEqual({ type: { coding: [{ system: V2_0203, code: 'MD', display: 'Medical License number' }] }, system: HPR_SYSTEM, value: '71234567890123' });
  });
});
