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

export interface VitalWarning {
  field: string;
  message: string;
}

/** Impossible values, keyed by field: these are refused. */
export function impossibleVitals(v: Vitals): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [key, limit] of Object.entries(VITAL_LIMITS) as [NumericVital, Limit][]) {
    const value = v[key];
    if (value == null) continue;
    if (value < limit.min || value > limit.max) {
      errors[key] = `${limit.label} of ${value} ${limit.unit} is not possible (expected ${limit.min}-${limit.max})`;
    }
  }
  if (v.bpSystolic != null && v.bpDiastolic != null && v.bpDiastolic >= v.bpSystolic) {
    errors.bpDiastolic ??= `BP diastolic (${v.bpDiastolic}) must be lower than systolic (${v.bpSystolic})`;
  }
  return errors;
}

export function bmiOf(v: Vitals): number | null {
  if (!v.weightKg || !v.heightCm) return null;
  const m = v.heightCm / 100;
  return Math.round((v.weightKg / (m * m)) * 10) / 10;
}

/** Abnormal but possible values: the doctor is told, nothing is refused. */
export function vitalWarnings(v: Vitals): VitalWarning[] {
  const warnings: VitalWarning[] = [];
  for (const [key, limit] of Object.entries(VITAL_LIMITS) as [NumericVital, Limit][]) {
    const value = v[key];
    if (value == null || value < limit.min || value > limit.max) continue;
    if (value < limit.low) warnings.push({ field: key, message: `${limit.label} ${value} ${limit.unit} is low` });
    else if (value > limit.high) warnings.push({ field: key, message: `${limit.label} ${value} ${limit.unit} is high` });
  }
  const bmi = bmiOf(v);
  if (bmi !== null && (bmi < 18.5 || bmi >= 30)) warnings.push({ field: 'bmi', message: `BMI ${bmi} is ${bmi < 18.5 ? 'underweight' : 'in the obese range'}` });
  return warnings;
}
