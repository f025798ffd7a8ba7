import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { syncColumns } from './common';

/** Where a patient's field value came from when two records were merged. */
export type MergeSide = 'survivor' | 'merged';

/**
 * One merge of two patient records (electron/services/patient-merge.ts): who merged which record
 * into which, the rows it moved (so an administrator's undo moves back exactly those), the field
 * choices and the survivor's values before them. Synced, so every desk can show and undo it.
 */
export const patientMerges = sqliteTable(
  'patient_merges',
  {
    ...syncColumns(),
    survivorId: text('survivor_id').notNull(),
    mergedId: text('merged_id').notNull(),
    /** The merged record's MRN, as handed to the patient: it keeps finding the survivor. */
    mergedMrn: text('merged_mrn').notNull(),
    /** Table name -> ids of the rows the merge moved from the merged record to the survivor. */
    moved: text('moved', { mode: 'json' }).$type<Record<string, string[]>>().notNull(),
    /** Field -> which record's value the survivor kept. */
    fieldChoices: text('field_choices', { mode: 'json' }).$type<Record<string, MergeSide>>().notNull(),
    /** The survivor's columns (database names) the merge changed, with their values before it. */
    previousValues: text('previous_values', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    mergedBy: text('merged_by').notNull(),
    mergedAt: integer('merged_at').notNull(),
    undoneAt: integer('undone_at'),
    undoneBy: text('undone_by'),
  },
  (t) => [index('patient_merges_merged_idx').on(t.mergedId), index('patient_merges_survivor_idx').on(t.survivorId)],
);
