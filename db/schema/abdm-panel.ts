import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { syncColumns } from './common';

/**
 * What ABDM did with a patient's records, for the patient's ABDM panel (docs/ABDM.md "The patient's
 * ABDM panel"). The clinic's server alone writes these (server/abdm/panel-rows.ts, as
 * server-authored rows: server/server-rows.ts), from what it stored on its side (abdm_consents,
 * abdm_care_context_links, the transfers it made); desks only pull them, so the panel works offline.
 * No device may insert, change or remove one (shared/sync-rules-abdm.ts).
 */

/** A consent artefact the consent manager notified: purpose, requester, HI types, range, status. */
export const abdmConsentViews = sqliteTable(
  'abdm_consent_views',
  {
    ...syncColumns(),
    consentId: text('consent_id').notNull(),
    /** The patient here whose care contexts (or ABHA address) the consent names; null when none matched. */
    patientId: text('patient_id'),
    abhaAddress: text('abha_address'),
    /** GRANTED, REVOKED or EXPIRED. */
    status: text('status').notNull(),
    /** ABDM's purpose code (CAREMGT, BTG, PUBHLTH, HPAYMT, DSRCH, PATRQT). */
    purposeCode: text('purpose_code'),
    /** The requester (HIU) id. */
    hiuId: text('hiu_id'),
    hiTypes: text('hi_types', { mode: 'json' }).$type<string[]>().notNull(),
    /** The care-context references (visit ids) the consent covers. */
    careContexts: text('care_contexts', { mode: 'json' }).$type<string[]>().notNull(),
    dateFrom: integer('date_from'),
    dateTo: integer('date_to'),
    /** When the requester must erase the data: the consent's expiry. */
    dataEraseAt: integer('data_erase_at'),
    grantedAt: integer('granted_at'),
    /** When the status last changed on the server. */
    statusAt: integer('status_at').notNull(),
  },
  (t) => [index('abdm_consent_views_patient_idx').on(t.patientId), index('abdm_consent_views_abha_idx').on(t.abhaAddress)],
);

/** One health-information transfer made on a consent: what was sent, when, and whether it arrived. */
export const abdmTransferViews = sqliteTable(
  'abdm_transfer_views',
  {
    ...syncColumns(),
    consentId: text('consent_id').notNull(),
    transactionId: text('transaction_id').notNull(),
    patientId: text('patient_id'),
    hiuId: text('hiu_id'),
    careContexts: text('care_contexts', { mode: 'json' }).$type<string[]>().notNull(),
    /** TRANSFERRED or FAILED (the data-flow notify's sessionStatus). */
    status: text('status').notNull(),
    /** Why it failed, as notified. */
    reason: text('reason'),
    at: integer('at').notNull(),
  },
  (t) => [index('abdm_transfer_views_patient_idx').on(t.patientId)],
);

/** The link state of a care context (a completed visit) with the patient's ABHA. */
export const abdmLinkViews = sqliteTable(
  'abdm_link_views',
  {
    ...syncColumns(),
    /** The care-context reference: the visit id. */
    reference: text('reference').notNull(),
    patientId: text('patient_id').notNull(),
    abhaAddress: text('abha_address'),
    /** hip (linked by the clinic at completion) or user (found by the patient in their PHR app). */
    via: text('via').notNull(),
    /** pending, sent, linked or failed. */
    state: text('state').notNull(),
    lastError: text('last_error'),
    linkedAt: integer('linked_at'),
  },
  (t) => [index('abdm_link_views_patient_idx').on(t.patientId)],
);

/** The panel's synced tables (db/sync-tables.ts). */
export const ABDM_PANEL_TABLES = [abdmConsentViews, abdmTransferViews, abdmLinkViews];
