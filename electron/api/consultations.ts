import { z } from 'zod';
import { amendConsultation, completeConsultation, getConsultation, saveConsultation } from '../services/consultations';
import { patientTimeline } from '../services/timeline';
import { VITAL_LIMITS, type NumericVital } from '../../shared/vitals';
import { method } from './contract';
import { id, isoDate, requiredText } from './fields';
import { lineText, linesText } from './text';


// Only the type is checked here: the range is the service's, so an impossible value refuses that
// field alone on autosave (the rest of the note is kept) and all of an amendment.
function vital(key: NumericVital) {
  return z.number({ error: `${VITAL_LIMITS[key].label} must be a number` }).nullish();
}

const vitals = z.object({
  bpSystolic: vital('bpSystolic'),
  bpDiastolic: vital('bpDiastolic'),
  pulse: vital('pulse'),
  temperatureC: vital('temperatureC'),
  spo2: vital('spo2'),
  respiratoryRate: vital('respiratoryRate'),
  weightKg: vital('weightKg'),
  heightCm: vital('heightCm'),
  bloodSugar: vital('bloodSugar'),
  bloodSugarType: z.enum(['fasting', 'random', 'post-prandial']).nullish(),
});

// Not trimmed: autosave sends the text as it is being typed, trailing space included.
const longText = (label: string) => linesText(label).max(20_000, `${label} is too long`);

/** Every part of the note is optional in a save: autosave sends what changed. */
export const notePatch = z.object({
  vitals: vitals.optional(),
  chiefComplaints: z.array(requiredText('Complaint', 300)).max(50).optional(),
  historyOfPresentIllness: longText('History of present illness').optional(),
  pastHistory: longText('Past history').optional(),
  examination: longText('Examination').optional(),
  diagnoses: z
    .array(z.object({ code: lineText('ICD-10 code').max(10).nullable(), title: requiredText('Diagnosis', 300), note: lineText('Diagnosis note').max(500).nullish() }))
    .max(30)
    .optional(),
  investigations: longText('Investigations').optional(),
  treatmentPlan: longText('Treatment plan').optional(),
  advice: longText('Advice').optional(),
  referral: longText('Referral').optional(),
  followUpDate: isoDate('Follow-up date').nullable().optional(),
});

export const consultationMethods = {
  'consultations.get': method({
    input: z.object({ visitId: id('Visit') }),
    access: 'clinical.read',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => getConsultation(ctx, input.visitId),
  }),
  'consultations.save': method({
    input: z.object({
      visitId: id('Visit'),
      note: notePatch,
      /** "Review in N days": sets the follow-up date from the visit day. */
      reviewInDays: z.number({ error: 'Review in must be a number of days' }).int().min(1, 'At least 1 day').max(730, 'At most 2 years').optional(),
    }),
    access: 'consultations.write',
    mutates: true,
    run: (ctx, input) => saveConsultation(ctx, input),
  }),
  'consultations.complete': method({
    input: z.object({ visitId: id('Visit') }),
    access: 'consultations.write',
    mutates: true,
    run: (ctx, input) => completeConsultation(ctx, input),
  }),
  'consultations.amend': method({
    input: z.object({ visitId: id('Visit'), note: notePatch, reason: requiredText('Reason for the amendment', 500) }),
    access: 'consultations.write',
    mutates: true,
    run: (ctx, input) => amendConsultation(ctx, input),
  }),
  'patients.timeline': method({
    input: z.object({ patientId: id('Patient') }),
    access: 'clinical.read',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => patientTimeline(ctx, input.patientId),
  }),
};
