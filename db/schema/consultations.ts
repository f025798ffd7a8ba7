import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { syncColumns } from './common';

export type { ConsultationNote, Diagnosis, Vitals } from '../../shared/clinical';
import type { ConsultationNote } from '../../shared/clinical';
import type { LabOrderStatus } from '../../shared/enums';

/**
 * One consultation per visit, written by one doctor. Editable while a draft; once completed it is
 * locked and later changes are amendment rows that point at it.
 */
export const consultations = sqliteTable(
  'consultations',
  {
    ...syncColumns(),
    visitId: text('visit_id').notNull(),
    patientId: text('patient_id').notNull(),
    doctorId: text('doctor_id').notNull(),
    status: text('status').$type<'draft' | 'completed'>().notNull(),
    note: text('note', { mode: 'json' }).$type<ConsultationNote>().notNull(),
    /** BMI from weight and height, kept for trends. */
    bmi: real('bmi'),
    completedAt: integer('completed_at'),
  },
  (t) => [uniqueIndex('consultations_visit_uq').on(t.visitId), index('consultations_patient_idx').on(t.patientId, t.createdAt)],
);

/** A change to a completed consultation: who, when, why, and the fields before and after. */
export const consultationAmendments = sqliteTable(
  'consultation_amendments',
  {
    ...syncColumns(),
    consultationId: text('consultation_id').notNull(),
    authorId: text('author_id').notNull(),
    reason: text('reason').notNull(),
    changes: text('changes', { mode: 'json' }).$type<Record<string, { before: unknown; after: unknown }>>().notNull(),
  },
  (t) => [index('consultation_amendments_idx').on(t.consultationId, t.createdAt)],
);

export const consultationTemplates = sqliteTable(
  'consultation_templates',
  {
    ...syncColumns(),
    doctorId: text('doctor_id').notNull(),
    name: text('name').notNull(),
    note: text('note', { mode: 'json' }).$type<Partial<ConsultationNote>>().notNull(),
  },
  (t) => [index('consultation_templates_doctor_idx').on(t.doctorId, t.name)],
);

export const labOrders = sqliteTable(
  'lab_orders',
  {
    ...syncColumns(),
    visitId: text('visit_id').notNull(),
    patientId: text('patient_id').notNull(),
    testId: text('test_id').notNull(),
    orderedBy: text('ordered_by').notNull(),
    status: text('status').$type<LabOrderStatus>().notNull(),
    /** "S/A/000001": from the collecting desk's never-reused series (docs/LAB.md). */
    sampleId: text('sample_id'),
    sampleCollectedBy: text('sample_collected_by'),
    sampleCollectedAt: integer('sample_collected_at'),
    /** Who entered the current result: the verifier must be someone else. */
    resultedBy: text('resulted_by'),
    verifiedBy: text('verified_by'),
    verifiedAt: integer('verified_at'),
    /** The lab_results row that was verified: the report prints exactly it (a later amendment waits). */
    verifiedResultId: text('verified_result_id'),
    cancelledBy: text('cancelled_by'),
    cancelledAt: integer('cancelled_at'),
    cancelReason: text('cancel_reason'),
    /** First print of the report (the "printed" step) and how many prints since. */
    reportPrintedAt: integer('report_printed_at'),
    reportPrintCount: integer('report_print_count').notNull().default(0),
  },
  (t) => [index('lab_orders_visit_idx').on(t.visitId), index('lab_orders_patient_idx').on(t.patientId, t.createdAt), uniqueIndex('lab_orders_sample_idx').on(t.sampleId)],
);

export const labResults = sqliteTable(
  'lab_results',
  {
    ...syncColumns(),
    orderId: text('order_id').notNull(),
    patientId: text('patient_id').notNull(),
    value: text('value').notNull(),
    unit: text('unit'),
    referenceRange: text('reference_range'),
    abnormal: integer('abnormal', { mode: 'boolean' }).notNull().default(false),
    resultedBy: text('resulted_by').notNull(),
    resultedAt: integer('resulted_at').notNull(),
    /** H or L against the range above; null within it, for text results, or without a range. */
    flag: text('flag').$type<'H' | 'L'>(),
    /** Beyond the test's critical limits: the doctor is told at once. */
    critical: integer('critical', { mode: 'boolean' }).notNull().default(false),
    /** The result this one corrects (after verification): the old value stays as it was. */
    amends: text('amends'),
    amendReason: text('amend_reason'),
    /** An outside lab's report attached as (or beside) the result: an attachments row of the same patient and visit. */
    attachmentId: text('attachment_id'),
  },
  (t) => [index('lab_results_order_idx').on(t.orderId), index('lab_results_patient_idx').on(t.patientId, t.resultedAt)],
);
