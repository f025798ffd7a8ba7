import { eq } from 'drizzle-orm';
import { patients, visits } from '../../db/schema';
import { ApiFailure, type AuthedContext } from '../core/context';
import { PRINT_LANGUAGE, type LanguageCode, type PrintLanguage } from '../../shared/languages';
import { getPrintSettings, type PrintSettings } from './printing';

type Ctx = Pick<AuthedContext, 'db' | 'sqlite'>;

/** The language a prescription prints in when the call names none, and what decided it. */
export interface PrintLanguageDefault {
  language: PrintLanguage;
  /** 'patient': their preferred language; 'workstation': they were not asked, so this desk's setting. */
  from: 'patient' | 'workstation';
  /** The patient's own choice (null: not asked). */
  patientLanguage: LanguageCode | null;
}

/**
 * A patient who prefers Hindi gets English + Hindi and one who prefers English gets English,
 * whatever this desk's setting; a patient nobody asked gets the desk's setting.
 */
export function printLanguageFor(ctx: Ctx, visitId: string): PrintLanguageDefault {
  const row = ctx.db
    .select({ preferred: patients.preferredLanguage })
    .from(visits)
    .innerJoin(patients, eq(patients.id, visits.patientId))
    .where(eq(visits.id, visitId))
    .get();
  if (!row) throw new ApiFailure('not_found', 'No such visit.', { visitId: 'No such visit' });
  const patientLanguage = row.preferred ?? null;
  if (patientLanguage) return { language: PRINT_LANGUAGE[patientLanguage], from: 'patient', patientLanguage };
  return { language: getPrintSettings(ctx.sqlite).language, from: 'workstation', patientLanguage };
}

/** This desk's print settings with the call's options over them; a language the call does not name is the patient's. */
export function printSettingsFor(ctx: Ctx, visitId: string, options: Partial<PrintSettings> | undefined): PrintSettings {
  const settings = { ...getPrintSettings(ctx.sqlite), ...options };
  return { ...settings, language: options?.language ?? printLanguageFor(ctx, visitId).language };
}
