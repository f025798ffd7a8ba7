import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { syncColumns } from './common';
import type { ProfileShareStatus } from '../../shared/abdm-shares';

/**
 * Profiles patients shared with the clinic by scanning a counter's QR code in their ABHA / PHR app
 * (ABDM Scan & Share, docs/ABDM.md). Written by the central server only (server/abdm/share.ts, as a
 * server-authored row: server/server-rows.ts) and pulled by every desk; a desk may change only
 * status, patient_id and visit_id (shared/sync-rules.ts), once reception has matched or registered
 * the person and checked them in.
 */
export const abdmProfileShares = sqliteTable(
  'abdm_profile_shares',
  {
    ...syncColumns(),
    /** The gateway's REQUEST-ID of the share that issued the token. */
    requestId: text('request_id').notNull(),
    abhaNumber: text('abha_number'),
    abhaAddress: text('abha_address').notNull(),
    name: text('name').notNull(),
    /** ABDM's code: M, F, O, D, T or U. */
    gender: text('gender').notNull(),
    dayOfBirth: integer('day_of_birth'),
    monthOfBirth: integer('month_of_birth'),
    yearOfBirth: integer('year_of_birth').notNull(),
    mobile: text('mobile'),
    addressLine: text('address_line'),
    district: text('district'),
    state: text('state'),
    pincode: text('pincode'),
    /** The counter whose QR code was scanned (ABDM's `metaData.context`). */
    counterId: text('counter_id').notNull(),
    /** The clinic's business day (YYYY-MM-DD, its time zone) the token belongs to. */
    tokenDate: text('token_date').notNull(),
    tokenNo: integer('token_no').notNull(),
    /** What the patient's app shows and the desk calls: "SHARE-3". */
    token: text('token').notNull(),
    sharedAt: integer('shared_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    status: text('status').$type<ProfileShareStatus>().notNull(),
    patientId: text('patient_id'),
    visitId: text('visit_id'),
  },
  (t) => [index('abdm_profile_shares_day_idx').on(t.tokenDate, t.tokenNo), index('abdm_profile_shares_abha_idx').on(t.abhaAddress)],
);
