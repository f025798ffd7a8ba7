import type { Vitals } from '../../../db/schema';
import { LOINC, PROFILE, UCUM, type Json, type Resource } from '../fhir';

/*
 * Vitals as Observations: NRCeS ObservationVitalSigns / ObservationBodyMeasurement (IG 6.5.0),
 * with the LOINC codes of their value sets (ndhm-vital-signs, ndhm-body-measurement; the FHIR
 * vital-signs codes where the guide's set has none) and UCUM units.
 */

const CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

interface Kind {
  loinc: string;
  display: string;
  unit: string;
  ucum: string;
  profile: 'ObservationVitalSigns' | 'ObservationBodyMeasurement';
}

const VITAL = (loinc: string, display: string, unit: string, ucum: string): Kind => ({ loinc, display, unit, ucum, profile: 'ObservationVitalSigns' });
const BODY = (loinc: string, display: string, unit: string, ucum: string): Kind => ({ loinc, display, unit, ucum, profile: 'ObservationBodyMeasurement' });

/** The vitals the app records, one Observation each (blood pressure is one panel with two parts). */
const KINDS: readonly (readonly ['pulse' | 'temperatureC' | 'spo2' | 'respiratoryRate' | 'weightKg' | 'heightCm', Kind])[] = [
  ['pulse', VITAL('8867-4', 'Heart rate', 'beats/minute', '/min')],
  ['temperatureC', VITAL('8310-5', 'Body temperature', '°C', 'Cel')],
  ['spo2', VITAL('2708-6', 'Oxygen saturation in Arterial blood', '%', '%')],
  ['respiratoryRate', VITAL('9279-1', 'Respiratory rate', 'breaths/minute', '/min')],
  ['weightKg', BODY('29463-7', 'Body weight', 'kg', 'kg')],
  ['heightCm', BODY('8302-2', 'Body height', 'cm', 'cm')],
];

const BLOOD_SUGAR: Record<NonNullable<Vitals['bloodSugarType']> | 'unknown', { loinc: string; display: string }> = {
  fasting: { loinc: '1558-6', display: 'Fasting glucose [Mass/volume] in Serum or Plasma' },
  random: { loinc: '2345-7', display: 'Glucose [Mass/volume] in Serum or Plasma' },
  'post-prandial': { loinc: '1521-4', display: 'Glucose [Mass/volume] in Serum or Plasma --2 hours post meal' },
  unknown: { loinc: '2345-7', display: 'Glucose [Mass/volume] in Serum or Plasma' },
};

const qty = (value: number, unit: string, code: string): Json => ({ value, unit, system: UCUM, code });

export interface ObservationRefs {
  id: (what: string) => string;
  patient: Json;
  performer: Json;
  encounter: Json;
  effective: string;
}

function observation(r: ObservationRefs, what: string, profile: string, category: string, code: Json, value: Record<string, Json>): Resource {
  return {
    resourceType: 'Observation',
    id: r.id(what),
    meta: { profile: [`${PROFILE}/${profile}`] },
    status: 'final',
    category: [{ coding: [{ system: CATEGORY, code: category, display: category === 'vital-signs' ? 'Vital Signs' : 'Laboratory' }] }],
    code,
    subject: r.patient,
    encounter: r.encounter,
    effectiveDateTime: r.effective,
    performer: [r.performer],
    ...value,
  };
}

/** The recorded vitals as Observations, in a fixed order; none for a vital left empty. */
export function vitalObservations(v: Vitals, r: ObservationRefs): Resource[] {
  const out: Resource[] = [];
  if (v.bpSystolic != null || v.bpDiastolic != null) {
    const part = (loinc: string, display: string, value: number | null | undefined): Json[] =>
      value == null ? [] : [{ code: { coding: [{ system: LOINC, code: loinc, display }], text: display }, valueQuantity: qty(value, 'mmHg', 'mm[Hg]') }];
    out.push(
      observation(r, 'vital/bp', 'ObservationVitalSigns', 'vital-signs', { coding: [{ system: LOINC, code: '85354-9', display: 'Blood pressure panel with all children optional' }], text: 'Blood pressure' }, {
        component: [...part('8480-6', 'Systolic blood pressure', v.bpSystolic), ...part('8462-4', 'Diastolic blood pressure', v.bpDiastolic)],
      }),
    );
  }
  for (const [key, k] of KINDS) {
    const value = v[key];
    if (typeof value !== 'number') continue;
    // A temperature typed in °F is stored in °C unrounded (38.4444… for 101.2 °F, so it shows back as
    // typed); the record carries 2 decimals, finer than any thermometer.
    const sent = key === 'temperatureC' ? Math.round(value * 100) / 100 : value;
    out.push(observation(r, `vital/${key}`, k.profile, 'vital-signs', { coding: [{ system: LOINC, code: k.loinc, display: k.display }], text: k.display }, { valueQuantity: qty(sent, k.unit, k.ucum) }));
  }
  if (v.bloodSugar != null) {
    const s = BLOOD_SUGAR[v.bloodSugarType ?? 'unknown'];
    out.push(observation(r, 'vital/blood-sugar', 'Observation', 'laboratory', { coding: [{ system: LOINC, code: s.loinc, display: s.display }], text: s.display }, { valueQuantity: qty(v.bloodSugar, 'mg/dL', 'mg/dL') }));
  }
  return out;
}
