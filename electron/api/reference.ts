import path from 'node:path';
import { z } from 'zod';
import { importAccess, importPath } from '../services/file-access';
import { addDays } from '../../shared/clinic-time';
import { countIcd10, importIcd10Csv, searchIcd10 } from '../services/icd10';
import { RECENT_DAYS } from '../services/icd10-personal';
import { districts, importLgd, importPincodes, importValueSets, pincodeLookup, states, subdistricts, valueSet } from '../services/masters';
import { checkShipped, loadShipped, refuseIfLoading, SHIPPED_LISTS, shippedStatus } from '../services/shipped-lists';
import { method } from './contract';
import { lineText, pathText } from './text';

export const referenceMethods = {
  'reference.icd10Search': method({
    input: z.object({ query: lineText('Search text', 'Type part of a code or title').max(100), limit: z.number().int().min(1).max(50).default(15) }),
    access: 'session',
    mutates: false,
    run: (ctx, input) => searchIcd10(ctx.sqlite, input.query, input.limit, { doctorId: ctx.session.userId, since: addDays(ctx.today(), -RECENT_DAYS), now: ctx.now() }),
  }),
  'reference.icd10Count': method({
    input: z.object({}).optional(),
    access: 'session',
    mutates: false,
    run: (ctx) => ({ codes: countIcd10(ctx.sqlite) }),
  }),
  /** Starts a background import; follow it with jobs.get or the `progress` events. */
  'reference.importIcd10': method({
    input: z.object({ path: pathText('CSV file', 'Choose the CSV file').min(1, 'Choose the CSV file').max(1000) }),
    access: 'reference.manage',
    mutates: true,
    run: (ctx, input) => {
      const file = importPath(importAccess(ctx.files, ctx.sqlite), input.path, 'path');
      const job = ctx.jobs.start('reference.importIcd10', (control) => importIcd10Csv(ctx.sqlite, file, control));
      ctx.describe({ entityType: 'icd10_codes', detail: `import from ${input.path} (job ${job.id})` });
      return job;
    },
  }),
  'reference.valueSet': method({
    input: z.object({ setName: lineText('Code set').min(1).max(40), parentCode: lineText('Parent code').max(20).nullish() }),
    access: 'session',
    mutates: false,
    run: (ctx, input) => valueSet(ctx.db, input.setName, input.parentCode),
  }),
  'reference.lgdStates': method({
    input: z.object({}).optional(),
    access: 'session',
    mutates: false,
    run: (ctx) => states(ctx.db),
  }),
  'reference.lgdDistricts': method({
    input: z.object({ stateCode: z.number({ error: 'Choose a state' }).int().positive() }),
    access: 'session',
    mutates: false,
    run: (ctx, input) => districts(ctx.db, input.stateCode),
  }),
  'reference.lgdSubdistricts': method({
    input: z.object({ districtCode: z.number({ error: 'Choose a district' }).int().positive() }),
    access: 'session',
    mutates: false,
    run: (ctx, input) => subdistricts(ctx.db, input.districtCode),
  }),
  'reference.pincode': method({
    input: z.object({ pincode: lineText('Pincode').regex(/^[1-9]\d{5}$/, 'Pincode must be 6 digits') }),
    access: 'session',
    mutates: false,
    run: (ctx, input) => pincodeLookup(ctx.db, input.pincode),
  }),
  /** Loads lgd_states.csv, lgd_districts.csv and lgd_subdistricts.csv from a folder, in the background. */
  'reference.importLgd': method({
    input: z.object({ folder: pathText('Folder', 'Choose the folder with the LGD files').min(1).max(1000) }),
    access: 'reference.manage',
    mutates: true,
    run: (ctx, input) => {
      const access = importAccess(ctx.files, ctx.sqlite);
      const folder = importPath(access, input.folder, 'folder', 'folder');
      const file = (name: string) => importPath(access, path.join(folder, name), 'folder');
      for (const name of ['lgd_states.csv', 'lgd_districts.csv', 'lgd_subdistricts.csv']) file(name);
      const job = ctx.jobs.start('reference.importLgd', (control) =>
        importLgd(ctx.sqlite, { states: file('lgd_states.csv'), districts: file('lgd_districts.csv'), subdistricts: file('lgd_subdistricts.csv') }, control).then((r) => ({ ...r })),
      );
      ctx.describe({ entityType: 'lgd', detail: `import from ${input.folder} (job ${job.id})` });
      return job;
    },
  }),
  'reference.importPincodes': method({
    input: z.object({ path: pathText('CSV file', 'Choose the CSV file').min(1).max(1000) }),
    access: 'reference.manage',
    mutates: true,
    run: (ctx, input) => {
      const file = importPath(importAccess(ctx.files, ctx.sqlite), input.path, 'path');
      const job = ctx.jobs.start('reference.importPincodes', (control) => importPincodes(ctx.sqlite, file, control).then((r) => ({ ...r })));
      ctx.describe({ entityType: 'pincode_offices', detail: `import from ${input.path} (job ${job.id})` });
      return job;
    },
  }),
  /** What the app ships and what this workstation has loaded of it. */
  'reference.shipped': method({
    input: z.object({}).optional(),
    access: 'session',
    mutates: false,
    run: (ctx) => shippedStatus(ctx.sqlite, ctx.files.shippedLists),
  }),
  /**
   * Loads the lists shipped with the app (all, or those named) in the background; follow it with
   * jobs.get or the `progress` events. Loading one again updates what changed and keeps the rest.
   */
  'reference.loadShipped': method({
    input: z
      .object({ lists: z.array(z.enum(SHIPPED_LISTS, { error: 'Choose icd10, lgd or pincodes' })).min(1, 'Choose a list').max(3).optional() })
      .optional(),
    access: 'reference.manage',
    mutates: true,
    run: (ctx, input) => {
      const lists = [...new Set(input?.lists ?? SHIPPED_LISTS)];
      checkShipped(ctx.files.shippedLists, lists);
      refuseIfLoading(ctx.jobRunner.list().map((j) => j.view));
      const job = ctx.jobs.start('reference.loadShipped', (control) => loadShipped(ctx.sqlite, ctx.files.shippedLists, lists, control));
      ctx.describe({ entityType: 'reference', detail: `load the shipped ${lists.join(', ')} (job ${job.id})` });
      return job;
    },
  }),
  'reference.importValueSets': method({
    input: z.object({ path: pathText('CSV file', 'Choose the CSV file').min(1).max(1000) }),
    access: 'reference.manage',
    mutates: true,
    run: (ctx, input) => {
      const file = importPath(importAccess(ctx.files, ctx.sqlite), input.path, 'path');
      const job = ctx.jobs.start('reference.importValueSets', (control) => importValueSets(ctx.sqlite, file, control).then((r) => ({ ...r })));
      ctx.describe({ entityType: 'value_sets', detail: `import from ${input.path} (job ${job.id})` });
      return job;
    },
  }),
};
