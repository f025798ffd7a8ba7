import { z } from 'zod';
import {
  checkItem,
  deleteFavourite,
  getPrescription,
  lastPrescription,
  listFavourites,
  saveFavourite,
  savePrescription,
} from '../services/prescriptions';
import { prescriptionBundle } from '../services/prescription-fhir';
import { method } from './contract';
import { id, isoDate, optionalLongText, optionalText, requiredText } from './fields';
import { lineText } from './text';

const TIMINGS = ['before-food', 'after-food', 'with-food', 'empty-stomach', 'bedtime', 'any'] as const;

export const prescriptionItem = z.object({
  drugId: lineText('Drug').max(40).nullable(),
  genericName: requiredText('Generic name', 200),
  brand: optionalText('Brand', 100).transform((v) => v ?? null),
  form: requiredText('Form', 40),
  strength: optionalText('Strength', 60).transform((v) => v ?? null),
  route: requiredText('Route', 40),
  dose: requiredText('Dose', 60),
  // Room for a taper written out: "4-0-0 x3, 2-0-0 x3, 1-0-0 x3".
  frequency: requiredText('Frequency', 200),
  timing: z.enum(TIMINGS, { error: 'Timing must be before/after/with food, empty stomach, bedtime or any' }).default('any'),
  durationDays: z.number({ error: 'Duration must be a number of days' }).int().min(1, 'At least 1 day').max(365, 'At most a year').nullable(),
  quantity: z.number().int().min(0).max(10_000).nullable().default(null),
  instructions: optionalText('Instructions', 300).transform((v) => v ?? null),
  instructionsHi: optionalText('Hindi instructions', 300).transform((v) => v ?? null),
  acknowledged: z.array(lineText('Acknowledged warning').max(120)).max(20).default([]),
  // Later additions (absent on older items); the service checks them against each other (shared/rx-item.ts).
  steps: z
    .array(z.object({ frequency: requiredText('Step frequency', 40), days: z.number({ error: 'Step days must be a number' }).int('Step days must be whole days').min(1, 'A step lasts at least 1 day').max(365, 'A step lasts at most a year') }), { error: 'Steps must be a list' })
    .max(12, 'At most 12 steps')
    .nullish(),
  maxPerDay: z.number({ error: 'Maximum a day must be a number' }).int('Maximum a day must be whole doses').min(1, 'Maximum a day: at least 1').max(24, 'Maximum a day: at most 24').nullish(),
  quantityUnit: optionalText('Quantity unit', 60),
  packSize: optionalText('Pack size', 60),
});

export const prescriptionMethods = {
  'prescriptions.get': method({
    input: z.object({ visitId: id('Visit') }),
    access: 'clinical.read',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => getPrescription(ctx, input.visitId),
  }),
  /** The ABDM PrescriptionRecord document bundle (FHIR R4) of a visit's prescription; exports are audited. */
  'prescriptions.fhir': method({
    input: z.object({ visitId: id('Visit') }),
    access: 'clinical.read',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => {
      // The visit must exist and the patient's record be open to this user (as for prescriptions.get).
      const { prescription } = getPrescription(ctx, input.visitId);
      ctx.describe({ entityType: 'prescriptions', entityId: prescription?.id ?? input.visitId, detail: `FHIR PrescriptionRecord export ${prescription?.rxNumber ?? ''}`.trim() });
      return prescriptionBundle({ db: ctx.db, timeZone: ctx.settings.timeZone }, input.visitId);
    },
  }),
  /** Warnings for a drug about to be added: allergies (drug and class) and duplicates. */
  'prescriptions.check': method({
    input: z.object({ visitId: id('Visit'), item: z.object({ drugId: lineText('Drug').nullable(), genericName: requiredText('Generic name', 200) }), others: z.array(prescriptionItem).max(50).default([]) }),
    access: 'consultations.write',
    mutates: false,
    run: (ctx, input) => checkItem(ctx, input),
  }),
  'prescriptions.save': method({
    input: z.object({
      visitId: id('Visit'),
      items: z.array(prescriptionItem).max(50, 'At most 50 items'),
      advice: optionalLongText('Advice', 2000),
      adviceHi: optionalLongText('Hindi advice', 2000),
      diet: optionalLongText('Diet', 1000),
      investigations: optionalLongText('Investigations', 1000),
      followUpDate: isoDate('Follow-up date').nullish(),
    }),
    access: 'consultations.write',
    mutates: true,
    run: (ctx, input) => savePrescription(ctx, input),
  }),
  'prescriptions.last': method({
    input: z.object({ visitId: id('Visit') }),
    access: 'consultations.write',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => lastPrescription(ctx, input.visitId),
  }),
  'prescriptions.saveFavourite': method({
    input: z.object({ kind: z.enum(['drug', 'diagnosis']), key: requiredText('Key', 60), name: requiredText('Name', 120), items: z.array(prescriptionItem).min(1).max(30) }),
    access: 'consultations.write',
    mutates: true,
    run: (ctx, input) => saveFavourite(ctx, input),
  }),
  'prescriptions.favourites': method({
    input: z.object({ kind: z.enum(['drug', 'diagnosis']).optional() }).default({}),
    access: 'consultations.write',
    mutates: false,
    run: (ctx, input) => listFavourites(ctx, input.kind),
  }),
  'prescriptions.deleteFavourite': method({
    input: z.object({ id: id('Favourite') }),
    access: 'consultations.write',
    mutates: true,
    run: (ctx, input) => deleteFavourite(ctx, input.id),
  }),
};
