import { z } from 'zod';
import { countIcd10, importIcd10Csv, searchIcd10 } from '../services/icd10';
import { method } from './contract';

export const referenceMethods = {
  'reference.icd10Search': method({
    input: z.object({ query: z.string({ error: 'Type part of a code or title' }).max(100), limit: z.number().int().min(1).max(50).default(15) }),
    access: 'session',
    mutates: false,
    run: (ctx, input) => searchIcd10(ctx.sqlite, input.query, input.limit),
  }),
  'reference.icd10Count': method({
    input: z.object({}).optional(),
    access: 'session',
    mutates: false,
    run: (ctx) => ({ codes: countIcd10(ctx.sqlite) }),
  }),
  /** Starts a background import; follow it with jobs.get or the `progress` events. */
  'reference.importIcd10': method({
    input: z.object({ path: z.string({ error: 'Choose the CSV file' }).min(1, 'Choose the CSV file').max(1000) }),
    access: 'reference.manage',
    mutates: true,
    run: (ctx, input) => {
      const job = ctx.jobs.start('reference.importIcd10', (control) => importIcd10Csv(ctx.sqlite, input.path, control));
      ctx.describe({ entityType: 'icd10_codes', detail: `import from ${input.path} (job ${job.id})` });
      return job;
    },
  }),
};
