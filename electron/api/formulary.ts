import { z } from 'zod';
import { DRUG_SCHEDULES } from '../../db/schema';
import { importAccess, importPath } from '../services/file-access';
import { DRUG_ROUTES, formPreference, getDrug, importJanAushadhiCsv, searchDrugs, searchPatientOf, upsertClinicDrug } from '../services/formulary';
import { method } from './contract';
import { id, optionalText, paise, requiredText } from './fields';
import { lineText, pathText } from './text';

const classList = z
  .array(
    lineText('Class', 'Each class must be text')
      .trim()
      .toLowerCase()
      .min(2, 'A class must be at least 2 characters')
      .max(60, 'A class must be at most 60 characters'),
    { error: 'Classes must be a list' },
  )
  .max(12, 'At most 12 classes')
  .default([]);

const brandList = z
  .array(lineText('Brand name', 'Each brand must be text').trim().min(1, 'A brand name cannot be empty').max(60, 'A brand name must be at most 60 characters'), {
    error: 'Brand names must be a list',
  })
  .max(10, 'At most 10 brand names')
  .default([]);

export const formularyMethods = {
  /**
   * Drugs by generic or brand name prefix as the doctor types ("amox", "crocin", "para 500"). With
   * the visit being prescribed for, the forms that suit the patient's age and weight come first.
   */
  'formulary.search': method({
    input: z.object({
      query: lineText('Search text', 'Type part of a generic or brand name').max(100, 'Search text must be at most 100 characters'),
      limit: z.number().int().min(1).max(50).default(15),
      visitId: id('Visit').optional(),
    }),
    access: 'session',
    mutates: false,
    run: (ctx, input) => {
      const patient = input.visitId ? searchPatientOf(ctx, input.visitId) : null;
      return searchDrugs(ctx.sqlite, input.query, input.limit, patient ? formPreference(patient.ageYears, patient.weightKg) : null);
    },
  }),
  'formulary.get': method({
    input: z.object({ id: id('Drug') }),
    access: 'session',
    mutates: false,
    run: (ctx, input) => getDrug(ctx.db, input.id),
  }),
  /**
   * Starts a background import of the Jan Aushadhi product list
   * (drug_code,generic_name,unit_size,mrp_inr,group_name); follow it with jobs.get or `progress` events.
   */
  'formulary.importJanAushadhi': method({
    input: z.object({ path: pathText('CSV file', 'Choose the CSV file').min(1, 'Choose the CSV file').max(1000) }),
    access: 'reference.manage',
    mutates: true,
    run: (ctx, input) => {
      const file = importPath(importAccess(ctx.files, ctx.sqlite), input.path, 'path');
      const deps = { db: ctx.db, sqlite: ctx.sqlite, write: ctx.write };
      const job = ctx.jobs.start('formulary.importJanAushadhi', (control) => importJanAushadhiCsv(deps, file, control).then((r) => ({ ...r })));
      ctx.describe({ entityType: 'drugs', detail: `import from ${input.path} (job ${job.id})` });
      return job;
    },
  }),
  /** Adds (no id) or edits one of the clinic's own drugs. */
  'formulary.upsert': method({
    input: z.object({
      id: id('Drug').nullish(),
      genericName: requiredText('Generic name', 200),
      brandNames: brandList,
      form: requiredText('Form', 40).transform((v) => (/^(SR|EC|DT|MD)\b/.test(v) ? v : v.toLowerCase())),
      strength: optionalText('Strength', 60),
      route: z.enum(DRUG_ROUTES, { error: `Route must be one of: ${DRUG_ROUTES.join(', ')}` }),
      defaultDose: optionalText('Dose', 60),
      defaultFrequency: optionalText('Frequency', 40),
      defaultDurationDays: z
        .number({ error: 'Duration must be a number of days' })
        .int('Duration must be whole days')
        .min(1, 'Duration must be at least 1 day')
        .max(365, 'Duration must be at most 365 days')
        .nullish(),
      schedule: z.enum(DRUG_SCHEDULES, { error: `Schedule must be one of: ${DRUG_SCHEDULES.join(', ')}` }).nullish(),
      classes: classList,
      mrpPaise: paise('MRP').nullish(),
      hsnCode: lineText('HSN code')
        .trim()
        .regex(/^\d{4}(\d{2}){0,2}$/, 'HSN code must be 4, 6 or 8 digits')
        .nullish(),
      gstRateBp: z
        .number({ error: 'GST rate must be a number' })
        .int('GST rate must be whole basis points')
        .min(0, 'GST rate cannot be negative')
        .max(2800, 'GST rate must be at most 28%')
        .nullish(),
      packSize: optionalText('Pack size', 60),
      active: z.boolean({ error: 'Active must be true or false' }).default(true),
    }),
    access: 'formulary.manage',
    mutates: true,
    run: (ctx, input) => upsertClinicDrug(ctx, input),
  }),
};
