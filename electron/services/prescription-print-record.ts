import { and, asc, eq, isNull, ne } from 'drizzle-orm';
import { labOrders, labTests, type patients } from '../../db/schema';
import type { Row } from '../../db/write';
import type { Vitals } from '../../shared/clinical';
import { bmiOf, formatTemperature, type TemperatureUnit } from '../../shared/vitals';
import type { AuthedContext } from '../core/context';

/* What the printed prescription carries beyond the prescription itself, read from the visit's record. */

type PatientRow = Row<typeof patients>;

/** "12, MG Road, Near Hanuman Mandir, Kothrud, Pune, Maharashtra 411038": only the parts recorded. */
export function addressLine(p: Pick<PatientRow, 'addressLine1' | 'addressLine2' | 'city' | 'district' | 'state' | 'pincode'>): string | null {
  const parts: string[] = [];
  for (const part of [p.addressLine1, p.addressLine2, p.city, p.district]) {
    const t = part?.trim();
    // A town that is also its district is said once.
    if (t && !parts.some((q) => q.toLowerCase() === t.toLowerCase())) parts.push(t);
  }
  const tail = [p.state?.trim(), p.pincode?.trim()].filter((t) => t).join(' ');
  if (tail) parts.push(tail);
  return parts.length > 0 ? parts.join(', ') : null;
}

const trim = (n: number) => String(Math.round(n * 10) / 10);

/** The recorded vitals as printed, the temperature in the clinic's unit; nothing for what was not taken. */
export function vitalsForPrint(v: Vitals, unit: TemperatureUnit): string[] {
  const out: string[] = [];
  const has = (n: number | null | undefined): n is number => typeof n === 'number' && Number.isFinite(n);
  if (has(v.bpSystolic) && has(v.bpDiastolic)) out.push(`BP ${v.bpSystolic}/${v.bpDiastolic} mmHg`);
  else if (has(v.bpSystolic)) out.push(`BP systolic ${v.bpSystolic} mmHg`);
  else if (has(v.bpDiastolic)) out.push(`BP diastolic ${v.bpDiastolic} mmHg`);
  if (has(v.pulse)) out.push(`Pulse ${v.pulse}/min`);
  if (has(v.temperatureC)) out.push(`Temp ${formatTemperature(v.temperatureC, unit)}`);
  if (has(v.spo2)) out.push(`SpO2 ${v.spo2}%`);
  if (has(v.respiratoryRate)) out.push(`RR ${v.respiratoryRate}/min`);
  if (has(v.weightKg)) out.push(`Wt ${trim(v.weightKg)} kg`);
  if (has(v.heightCm)) out.push(`Ht ${trim(v.heightCm)} cm`);
  const bmi = bmiOf(v);
  if (bmi !== null) out.push(`BMI ${trim(bmi)}`);
  if (has(v.bloodSugar)) out.push(`Blood sugar ${v.bloodSugar} mg/dL${v.bloodSugarType ? ` (${v.bloodSugarType})` : ''}`);
  return out;
}

/**
 * The allergies as printed: each with its severity; [] when the patient was asked and has none
 * ("No known allergies"); null when nobody asked (printing "none" then would be a claim).
 */
export function allergiesForPrint(p: Pick<PatientRow, 'allergies'> & { noKnownAllergies?: boolean | null }): string[] | null {
  if (p.allergies.length > 0) return p.allergies.map((a) => `${a.substance.trim()} (${a.severity})`);
  return p.noKnownAllergies ? [] : null;
}

/**
 * The investigations ordered at the visit: the lab tests ordered (not cancelled), then whatever the
 * doctor wrote on the prescription (or, failing that, in the note) that is not already named.
 */
export function investigationsForPrint(ctx: Pick<AuthedContext, 'db'>, visitId: string, written: (string | null | undefined)[]): string | null {
  const tests = ctx.db
    .select({ name: labTests.name })
    .from(labOrders)
    .innerJoin(labTests, eq(labTests.id, labOrders.testId))
    .where(and(eq(labOrders.visitId, visitId), isNull(labOrders.deletedAt), ne(labOrders.status, 'cancelled')))
    .orderBy(asc(labOrders.createdAt))
    .all()
    .map((t) => t.name.trim());
  const text = written.map((w) => w?.trim() ?? '').find((w) => w !== '') ?? '';
  const extra = text && !tests.some((t) => t.toLowerCase() === text.toLowerCase()) ? [text] : [];
  const all = [...new Set(tests), ...extra];
  return all.length > 0 ? all.join(', ') : null;
}
