import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { syncColumns } from './common';
import type { CERTIFICATE_KINDS } from '../../shared/enums';

/**
 * Medical (leave) and fitness certificates a doctor issues at a visit. Issued certificates are
 * locked: nothing on them changes except a void (with its reason, by the issuing doctor); a
 * correction is a new certificate with a new number. Numbers come from this desk's series per
 * kind ("MC/A/000001", "FC/A/000001": kind, desk letter, number, so the server checks the letter is the pushing desk's as for invoices) and are never reused: a voided number stays voided.
 */
export const certificates = sqliteTable(
  'certificates',
  {
    ...syncColumns(),
    /** Per-desk series per kind: "MC/A/000123" (medical), "FC/A/000045" (fitness). */
    number: text('number').notNull(),
    kind: text('kind').$type<(typeof CERTIFICATE_KINDS)[number]>().notNull(),
    patientId: text('patient_id').notNull(),
    visitId: text('visit_id').notNull(),
    doctorId: text('doctor_id').notNull(),
    /** As printed: from the visit's diagnoses, edited by the doctor. */
    diagnosis: text('diagnosis').notNull(),
    /** Medical leave: rest advised from .. to (YYYY-MM-DD, both days counted). */
    restFrom: text('rest_from'),
    restTo: text('rest_to'),
    /** Fitness: fit to resume duty (or the purpose) from this date. */
    fitFrom: text('fit_from'),
    /** Fitness: what the person is fit for ("resume duty", "sports", "travel"). */
    purpose: text('purpose'),
    remarks: text('remarks'),
    /** 'en' or 'en+hi'. */
    language: text('language').$type<'en' | 'en+hi'>().notNull(),
    issuedAt: integer('issued_at').notNull(),
    issuedBy: text('issued_by').notNull(),
    voidedAt: integer('voided_at'),
    voidedBy: text('voided_by'),
    voidReason: text('void_reason'),
  },
  (t) => [uniqueIndex('certificates_number_uq').on(t.number), index('certificates_patient_idx').on(t.patientId, t.issuedAt), index('certificates_visit_idx').on(t.visitId)],
);
