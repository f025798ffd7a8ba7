import type { Vitals } from './clinical';

/** The vitals recorded as numbers (blood sugar's type is a word). */
export type NumericVital = Exclude<keyof Vitals, 'bloodSugarType'>;

interface Limit {
  label: string;
  unit: string;
  /** Outside [min, max] the value cannot be real: refused. */
  min: number;
  max: number;
  /** Outside [low, high] the value is possible but abnormal: warned. */
  low: number;
  high: number;
}

/** Plausible and normal ranges for adults (children differ; these are warnings, not diagnoses). */
export const VITAL_LIMITS: Record<NumericVital, Limit> = {
  bpSystolic: { label: 'BP systolic', unit: 'mmHg', min: 40, max: 300, low: 90, high: 139 },
  bpDiastolic: { label: 'BP diastolic', unit: 'mmHg', min: 20, max: 200, low: 60, high: 89 },
  pulse: { label: 'Pulse', unit: '/min', min: 20, max: 300, low: 50, high: 100 },
  temperatureC: { label: 'Temperature', unit: '°C', min: 25, max: 45, low: 35, high: 37.9 },
  spo2: { label: 'SpO2', unit: '%', min: 40, max: 100, low: 94, high: 100 },
  respiratoryRate: { label: 'Respiratory rate', unit: '/min', min: 4, max: 80, low: 10, high: 24 },
  weightKg: { label: 'Weight', unit: 'kg', min: 0.3, max: 350, low: 0.3, high: 350 },
  heightCm: { label: 'Height', unit: 'cm', min: 25, max: 250, low: 25, high: 250 },
  bloodSugar: { label: 'Blood sugar', unit: 'mg/dL', min: 10, max: 1500, low: 70, high: 200 },
};

/** How a clinic reads temperatures; stored always in °C (Vitals.temperatureC). Indian clinics mostly use °F. */
export type TemperatureUnit = 'C' | 'F';
export const DEFAULT_TEMPERATURE_UNIT: TemperatureUnit = 'F';
/** A bare number above this is a Fahrenheit reading: no living patient is 46 °C, nobody is 45 °F. */
const BARE_FAHRENHEIT_ABOVE = 45;

const TEMPERATURE = /^(\d{1,3}(?:[.,]\d+)?)\s*(?:°|º|deg(?:rees?)?)?\s*([cf])?$/i;

/**
 * A temperature as typed: "101.2 °F", "101.2F", "38.4 C", "38,4", or a bare number (°F above 45,
 * else °C). Gives °C exactly as converted, unrounded, so it shows back as typed in either unit.
 */
export function parseTemperature(text: string): { ok: true; celsius: number | null } | { ok: false; error: string } {
  const t = text.trim();
  if (t === '') return { ok: true, celsius: null };
  const m = TEMPERATURE.exec(t);
  if (!m) return { ok: false, error: 'Temperature must be a number, in °F or °C (e.g. 101.2 °F or 38.4 °C)' };
  const value = Number(m[1]!.replace(',', '.'));
  const unit = m[2]?.toUpperCase() ?? (value > BARE_FAHRENHEIT_ABOVE ? 'F' : 'C');
  return { ok: true, celsius: unit === 'F' ? fahrenheitToCelsius(value) : value };
}

export const fahrenheitToCelsius = (f: number) => ((f - 32) * 5) / 9;
export const celsiusToFahrenheit = (c: number) => (c * 9) / 5 + 32;

/** A stored °C reading in the clinic's unit, to one decimal: 38.4444 -> "101.2" (°F). */
export function temperatureIn(celsius: number, unit: TemperatureUnit): string {
  return (unit === 'F' ? celsiusToFahrenheit(celsius) : celsius).toFixed(1);
}

/** "101.2 °F" */
export const formatTemperature = (celsius: number, unit: TemperatureUnit) => `${temperatureIn(celsius, unit)} °${unit}`;

/** A reading with its unit for messages: temperatures in the clinic's unit, to one decimal. */
function reading(key: NumericVital, value: number, unit: TemperatureUnit): string {
  return key === 'temperatureC' ? formatTemperature(value, unit) : `${value} ${VITAL_LIMITS[key].unit}`;
}

/**
 * The vitals that differ between two versions of a note, each as "label: before -> after" parts in the
 * clinic's unit (an amendment's record keeps °C, unrounded). Null where a side has no reading.
 */
export function vitalChanges(before: Vitals, after: Vitals, unit: TemperatureUnit): { label: string; before: string | null; after: string | null }[] {
  const show = (key: NumericVital, v: Vitals) => (v[key] == null ? null : reading(key, v[key], unit));
  const numbers = (Object.entries(VITAL_LIMITS) as [NumericVital, Limit][])
    .filter(([k]) => (before[k] ?? null) !== (after[k] ?? null))
    .map(([k, limit]) => ({ label: limit.label, before: show(k, before), after: show(k, after) }));
  const sugarType = before.bloodSugarType ?? null;
  const sugarTypeNow = after.bloodSugarType ?? null;
  return sugarType === sugarTypeNow ? numbers : [...numbers, { label: 'Blood sugar taken', before: sugarType, after: sugarTypeNow }];
}

/** The plausible range for messages, temperatures in the clinic's unit. */
function range(key: NumericVital, limit: Limit, unit: TemperatureUnit): string {
  return key === 'temperatureC' ? `${Number(temperatureIn(limit.min, unit))}-${Number(temperatureIn(limit.max, unit))}` : `${limit.min}-${limit.max}`;
}

export interface VitalWarning {
  field: string;
  message: string;
}

/** Values impossible on their own (out of the plausible range), keyed by field. */
export function outOfRangeVitals(v: Vitals, unit: TemperatureUnit = 'C'): Partial<Record<NumericVital, string>> {
  const errors: Partial<Record<NumericVital, string>> = {};
  for (const [key, limit] of Object.entries(VITAL_LIMITS) as [NumericVital, Limit][]) {
    const value = v[key];
    if (value == null) continue;
    if (value < limit.min || value > limit.max) {
      errors[key] = `${limit.label} of ${reading(key, value, unit)} is not possible (expected ${range(key, limit, unit)})`;
    }
  }
  return errors;
}

/**
 * Two readings that cannot both be true, though each is possible alone: which one is wrong only the
 * doctor knows, so each field has its own message. `blamed` is the one named when neither is known
 * to be newer (an amendment is refused whole, naming it).
 */
interface PairRule {
  fields: readonly [NumericVital, NumericVital];
  blamed: NumericVital;
  holds: (a: number, b: number) => boolean;
  message: (field: NumericVital, a: number, b: number) => string;
}

const PAIR_RULES: readonly PairRule[] = [
  {
    fields: ['bpSystolic', 'bpDiastolic'],
    blamed: 'bpDiastolic',
    holds: (systolic, diastolic) => diastolic < systolic,
    message: (field, systolic, diastolic) =>
      field === 'bpSystolic' ? `BP systolic (${systolic}) must be higher than diastolic (${diastolic})` : `BP diastolic (${diastolic}) must be lower than systolic (${systolic})`,
  },
];

/** The pairs of readings in `v` that contradict each other, each field with why. */
export function vitalClashes(v: Vitals): { fields: readonly NumericVital[]; why: (field: NumericVital) => string; blamed: NumericVital }[] {
  const clashes = [];
  for (const rule of PAIR_RULES) {
    const [a, b] = [v[rule.fields[0]], v[rule.fields[1]]];
    if (a == null || b == null || rule.holds(a, b)) continue;
    clashes.push({ fields: rule.fields, blamed: rule.blamed, why: (field: NumericVital) => rule.message(field, a, b) });
  }
  return clashes;
}

/** Impossible values, keyed by field: these are refused. */
export function impossibleVitals(v: Vitals, unit: TemperatureUnit = 'C'): Record<string, string> {
  const errors: Record<string, string> = { ...outOfRangeVitals(v, unit) };
  for (const clash of vitalClashes(v)) errors[clash.blamed] ??= clash.why(clash.blamed);
  return errors;
}

export function bmiOf(v: Vitals): number | null {
  if (!v.weightKg || !v.heightCm) return null;
  const m = v.heightCm / 100;
  return Math.round((v.weightKg / (m * m)) * 10) / 10;
}

/** Abnormal but possible values: the doctor is told, nothing is refused. */
export function vitalWarnings(v: Vitals, unit: TemperatureUnit = 'C'): VitalWarning[] {
  const warnings: VitalWarning[] = [];
  for (const [key, limit] of Object.entries(VITAL_LIMITS) as [NumericVital, Limit][]) {
    const value = v[key];
    if (value == null || value < limit.min || value > limit.max) continue;
    if (value < limit.low) warnings.push({ field: key, message: `${limit.label} ${reading(key, value, unit)} is low` });
    else if (value > limit.high) warnings.push({ field: key, message: `${limit.label} ${reading(key, value, unit)} is high` });
  }
  const bmi = bmiOf(v);
  if (bmi !== null && (bmi < 18.5 || bmi >= 30)) warnings.push({ field: 'bmi', message: `BMI ${bmi} is ${bmi < 18.5 ? 'underweight' : 'in the obese range'}` });
  return warnings;
}
