import type { UniqueConflict } from '../../shared/sync-protocol';
import { bigint, bigserial, boolean, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/** A clinic: everything a device may see belongs to its clinic. */
export const clinics = pgTable('clinics', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** An enrolled workstation and the hash of its long-lived credential. */
export const devices = pgTable(
  'devices',
  {
    id: text('id').primaryKey(),
    clinicId: text('clinic_id').notNull(),
    name: text('name').notNull(),
    credentialHash: text('credential_hash').notNull(),
    /** The letter(s) its number series use, unique within the clinic (A, B, C...). */
    seriesPrefix: text('series_prefix').notNull(),
    enrolledAt: timestamp('enrolled_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /** The app version the device said at its last hello. */
    appVersion: text('app_version'),
  },
  (t) => [index('devices_clinic_idx').on(t.clinicId)],
);

/** One-time enrolment codes an administrator hands to a new workstation. */
export const enrolmentCodes = pgTable('enrolment_codes', {
  codeHash: text('code_hash').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  deviceName: text('device_name').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedByDevice: text('used_by_device'),
});

/**
 * The merged, current version of every synced row, per clinic. `seq` is the server cursor: it is
 * taken from one sequence under a per-clinic lock at commit, so within a clinic it grows in commit
 * order and a pull never skips a row.
 */
export const rows = pgTable(
  'rows',
  {
    clinicId: text('clinic_id').notNull(),
    tableName: text('table_name').notNull(),
    rowId: text('row_id').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    fieldHlc: jsonb('field_hlc').$type<Record<string, string>>().notNull(),
    hlc: text('hlc').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.tableName, t.rowId] }),
    index('rows_clinic_seq_idx').on(t.clinicId, t.seq),
    // The attachment transfer looks records up by the file's sha256 on every status and chunk
    // (server/attachments.ts); without this each chunk scanned all of the clinic's rows. Partial,
    // so the other tables' rows do not pay for it; the lookup names table_name as a literal so the
    // planner can prove the predicate even in a generic plan.
    index('rows_attachment_sha256_idx')
      .on(t.clinicId, sql`(${t.data}->>'sha256')`)
      .where(sql`${t.tableName} = 'attachments'`),
    // A lab order's results, read when a verified order is reopened (only by an amendment:
    // server/related-rows.ts), under the clinic's push lock: an index, not a scan of every row.
    index('rows_lab_result_order_idx')
      .on(t.clinicId, sql`(${t.data}->>'order_id')`)
      .where(sql`${t.tableName} = 'lab_results'`),
  ],
);

/** Every change id ever received, with what became of it: a replay returns the same answer. */
export const appliedChanges = pgTable(
  'applied_changes',
  {
    changeId: text('change_id').primaryKey(),
    clinicId: text('clinic_id').notNull(),
    deviceId: text('device_id').notNull(),
    tableName: text('table_name').notNull(),
    rowId: text('row_id').notNull(),
    status: text('status').$type<'applied' | 'rejected'>().notNull(),
    reason: text('reason'),
    /** The clock the change was applied with (re-stamped when the device's clock ran ahead). */
    hlc: text('hlc').notNull(),
    restamped: boolean('restamped').notNull().default(false),
    /** Applied, but flagged: a business date after the server's own date (the desk's clock runs ahead). */
    warning: text('warning'),
    /** A rejection for a unique value another row holds: which columns and value (see unique_claims). */
    conflict: jsonb('conflict').$type<UniqueConflict>(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('applied_changes_clinic_idx').on(t.clinicId, t.receivedAt)],
);

/** Places taken in appointment slots, in the order the server received the bookings. */
export const slotHolds = pgTable(
  'slot_holds',
  {
    clinicId: text('clinic_id').notNull(),
    slotKey: text('slot_key').notNull(),
    appointmentId: text('appointment_id').notNull(),
    heldSeq: bigserial('held_seq', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.appointmentId] }), index('slot_holds_key_idx').on(t.clinicId, t.slotKey)],
);

/**
 * Every signing key a clinic's users have had (docs/SYNC.md "Signed changes"): registered when an
 * applied `users` change carries `sign_public_key`; a newer key of the same user (an administrator's
 * reset) retires the older ones. A retired key still verifies changes stamped before `retired_at`.
 */
export const userKeys = pgTable(
  'user_keys',
  {
    clinicId: text('clinic_id').notNull(),
    userId: text('user_id').notNull(),
    keyId: text('key_id').notNull(),
    /** base64 SPKI DER of the Ed25519 public key. */
    publicKey: text('public_key').notNull(),
    registeredAt: timestamp('registered_at', { withTimezone: true }).notNull(),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
    /** The workstation whose push registered it (null: registered before this was kept). */
    registeredByDevice: text('registered_by_device'),
    /** A user's first key, registered by their own change (trust on first use), not by an administrator. */
    firstUse: boolean('first_use').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.userId, t.keyId] })],
);

/**
 * Which row of a clinic holds each unique value (db/sync-unique.ts): desks offline can each hand out
 * the same username or code; the first row to reach the server keeps it and a later one is refused
 * (store.ts claimUnique). Built for a clinic's existing rows on its first push after the upgrade,
 * marked done by a row with an empty table_name.
 */
export const uniqueClaims = pgTable(
  'unique_claims',
  {
    clinicId: text('clinic_id').notNull(),
    tableName: text('table_name').notNull(),
    keyName: text('key_name').notNull(),
    value: text('value').notNull(),
    rowId: text('row_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.tableName, t.keyName, t.value] })],
);

/**
 * Every exchange of the ABDM bridge with the gateway (server/abdm/, docs/ABDM.md), both ways: each
 * attempt of an outgoing call and each incoming callback. Bodies are kept with secrets, OTPs, tokens
 * and keys redacted, plus the SHA-256 of the exact bytes. `handled_key` is set on the one incoming
 * callback that was acted on (e.g. `on-generate-token:<request id it answers>`): unique, so a repeat
 * is recorded but never acted on twice, across restarts and server instances.
 */
export const abdmExchanges = pgTable(
  'abdm_exchanges',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** 'out': we called the gateway; 'in': the gateway called us. */
    direction: text('direction').$type<'out' | 'in'>().notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    /** The REQUEST-ID header (the same on every retry of one call). */
    requestId: text('request_id'),
    /** For a callback: the request id it answers (`response.requestId`). */
    correlationId: text('correlation_id'),
    attempt: integer('attempt').notNull().default(1),
    /** HTTP status answered (null: no answer, e.g. the network failed). */
    status: integer('status'),
    /** What became of it: ok, retrying, failed, handled, duplicate, unmatched, refused. */
    outcome: text('outcome').notNull(),
    redactedBody: text('redacted_body'),
    bodySha256: text('body_sha256'),
    error: text('error'),
    handledKey: text('handled_key').unique(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('abdm_exchanges_request_idx').on(t.requestId), index('abdm_exchanges_correlation_idx').on(t.correlationId)],
);

/**
 * ABDM consent artefacts the gateway notified to this HIP (docs/ABDM.md "Consents"): what an HIU
 * may fetch, from which care contexts, for which dates, until when. No health data. A GRANTED
 * notification creates the row; REVOKED or EXPIRED ones change its status (never back to GRANTED).
 */
export const abdmConsents = pgTable('abdm_consents', {
  consentId: text('consent_id').primaryKey(),
  /** GRANTED, REVOKED, EXPIRED (as the gateway last said). */
  status: text('status').notNull(),
  /** The patient's ABHA address (consentDetail.patient.id). */
  patientAbhaAddress: text('patient_abha_address'),
  hipId: text('hip_id'),
  hiuId: text('hiu_id'),
  /** purpose.code: CAREMGT, BTG, PUBHLTH, HPAYMT, DSRCH, PATRQT. */
  purposeCode: text('purpose_code'),
  hiTypes: jsonb('hi_types').$type<string[]>().notNull(),
  /** [{patientReference, careContextReference}] as granted. */
  careContexts: jsonb('care_contexts').$type<{ patientReference: string; careContextReference: string }[]>().notNull(),
  accessMode: text('access_mode'),
  dateFrom: timestamp('date_from', { withTimezone: true }),
  dateTo: timestamp('date_to', { withTimezone: true }),
  /** permission.dataEraseAt: after this no data is sent, whatever the status says. */
  dataEraseAt: timestamp('data_erase_at', { withTimezone: true }),
  /** permission.frequency as sent ({unit, value, repeats}). */
  frequency: jsonb('frequency').$type<Record<string, unknown>>(),
  grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The ABDM link state of each care context (server/abdm/link.ts, docs/ABDM.md "Linking"): one row
 * per care context the HIP has to link or has linked, whether it links it itself (`via` 'hip',
 * HIP-initiated) or the patient did from their PHR app ('user'). `request_id` is the REQUEST-ID of
 * the link call, kept before it is sent so a retry after a restart is the same request; `state`:
 * pending (to send, at `next_attempt_at`), sent (accepted, waiting for on_carecontext), linked, failed.
 */
export const abdmCareContextLinks = pgTable(
  'abdm_care_context_links',
  {
    clinicId: text('clinic_id').notNull(),
    reference: text('reference').notNull(),
    patientId: text('patient_id').notNull(),
    abhaAddress: text('abha_address').notNull(),
    via: text('via').$type<'hip' | 'user'>().notNull(),
    state: text('state').$type<'pending' | 'sent' | 'linked' | 'failed'>().notNull(),
    requestId: text('request_id'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    linkedAt: timestamp('linked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.reference] }), index('abdm_care_context_links_state_idx').on(t.state, t.nextAttemptAt), index('abdm_care_context_links_request_idx').on(t.requestId)],
);

/** A patient's link token (valid six months, link-token.yaml), reused for every care context linked with it. */
export const abdmLinkTokens = pgTable(
  'abdm_link_tokens',
  {
    clinicId: text('clinic_id').notNull(),
    abhaAddress: text('abha_address').notNull(),
    linkToken: text('link_token').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.clinicId, t.abhaAddress] })],
);

/**
 * User-initiated linking (server/abdm/discover.ts): a discovery the gateway asked for (by its
 * `transaction_id`) and the patient it matched, then the link request made on it (its
 * `link_ref_number`, the care contexts asked for, the OTP's hash and expiry, wrong tries).
 */
export const abdmLinkRequests = pgTable('abdm_link_requests', {
  transactionId: text('transaction_id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  patientId: text('patient_id').notNull(),
  abhaAddress: text('abha_address').notNull(),
  state: text('state').$type<'discovered' | 'otp_sending' | 'otp_sent' | 'linked' | 'refused'>().notNull(),
  linkRefNumber: text('link_ref_number').unique(),
  careContexts: jsonb('care_contexts').$type<string[]>(),
  otpHash: text('otp_hash'),
  otpExpiresAt: timestamp('otp_expires_at', { withTimezone: true }),
  wrongTries: integer('wrong_tries').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  /** The mobile the link OTP goes to, fixed at discovery (the one it matched, else the patient's on record then). */
  otpMobile: text('otp_mobile'),
});

/**
 * Link OTP SMS sends per mobile (server/abdm/discover.ts): the rate limit that keeps someone who
 * knows a patient's demographics from SMS-bombing them. In the database so that every server
 * instance, and a restarted one, counts the same sends. `mobile_key` is a hash, not the number.
 */
export const abdmOtpSends = pgTable(
  'abdm_otp_sends',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    mobileKey: text('mobile_key').notNull(),
    transactionId: text('transaction_id').notNull(),
    /** sending, sent, unknown (the provider could not be reached: it may have gone out, so it counts) or refused (by the provider: nothing sent, not counted). */
    outcome: text('outcome').$type<'sending' | 'sent' | 'unknown' | 'refused'>().notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('abdm_otp_sends_mobile_idx').on(t.mobileKey, t.at)],
);

/**
 * ABHA OTP transactions in progress (server/abdm/abha-txns.ts): verification (`verify`) and
 * creation with Aadhaar OTP (`enrol`), between "send OTP" and the last step, so a restarted server
 * or another instance behind a balancer finishes what one began. `sealed` is AES-256-GCM over
 * ABDM's txnId and the step's working state (never the Aadhaar number), bound to `txn_ref`;
 * `tries` is taken before each step is sent to ABDM (at most ABHA_TXN_TRIES per step).
 */
export const abdmAbhaTxns = pgTable(
  'abdm_abha_txns',
  {
    txnRef: text('txn_ref').primaryKey(),
    kind: text('kind').$type<'verify' | 'enrol'>().notNull(),
    clinicId: text('clinic_id').notNull(),
    userId: text('user_id').notNull(),
    deviceId: text('device_id').notNull(),
    stage: text('stage').notNull(),
    tries: integer('tries').notNull().default(0),
    sealed: text('sealed').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('abdm_abha_txns_expires_idx').on(t.expiresAt)],
);

/**
 * Scan & Share: the token each profile share (by the gateway's REQUEST-ID) was given, written with
 * the token (server/abdm/share.ts), and when the gateway accepted its on-share. A redelivered
 * share whose on-share was never accepted is answered again from here, with the same token.
 */
export const abdmShareAnswers = pgTable('abdm_share_answers', {
  requestId: text('request_id').primaryKey(),
  clinicId: text('clinic_id').notNull(),
  rowId: text('row_id').notNull(),
  token: text('token').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  answeredAt: timestamp('answered_at', { withTimezone: true }),
});

/** Desk request ids already acted on (server/abdm/desk-requests.ts), shared by every server instance. */
export const abdmDeskRequestIds = pgTable('abdm_desk_request_ids', {
  id: text('id').primaryKey(),
  /** After this a replay is refused as stale anyway, so the row may go. */
  until: timestamp('until', { withTimezone: true }).notNull(),
});

/**
 * ABHAs this server itself verified for a patient (docs/ABDM.md "Which ABHA the server trusts"):
 * an OTP verification through server/abdm/abha*.ts (recorded unbound, `patient_id` null, then bound
 * to the patient whose synced row the verifier marked with the same ABHA and verification time),
 * an ABHA created here with Aadhaar OTP, or a Scan & Share profile reception matched or registered.
 * Linking, discovery by ABHA and health-information transfer use only these, never the ABHA typed
 * on the synced patient row alone.
 */
export const abdmVerifiedAbha = pgTable(
  'abdm_verified_abha',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    clinicId: text('clinic_id').notNull(),
    /** Null until a synced patient row claims this verification (bound once; a Scan & Share one follows its share's corrected patient). */
    patientId: text('patient_id'),
    /** 14 digits, no hyphens. */
    abhaNumber: text('abha_number'),
    abhaAddress: text('abha_address'),
    verifiedAt: timestamp('verified_at', { withTimezone: true }).notNull(),
    /** The user who verified (null for a Scan & Share profile: the patient shared it). */
    verifiedBy: text('verified_by'),
    deviceId: text('device_id'),
    /** abha-number-mobile-otp..., aadhaar-enrol, scan-share. */
    method: text('method').notNull(),
    /** The profile share it came from (scan-share), so one share is recorded once. */
    shareId: text('share_id').unique(),
    boundAt: timestamp('bound_at', { withTimezone: true }),
  },
  (t) => [index('abdm_verified_abha_patient_idx').on(t.clinicId, t.patientId)],
);

/** Each health-information request served under a consent, to hold it to its `frequency`. */
export const abdmConsentUses = pgTable(
  'abdm_consent_uses',
  {
    transactionId: text('transaction_id').primaryKey(),
    consentId: text('consent_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('abdm_consent_uses_consent_idx').on(t.consentId, t.at)],
);

const bytea = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength),
});

/**
 * The bytes of patient attachments (server/attachments.ts, docs/ATTACHMENTS.md), 256 KiB chunks by
 * the file's sha256, per clinic. A chunk is stored only when an attachment record of the clinic
 * names that sha256 and the chunk matches the hash the record lists for it, and only while its
 * device's chunks of unfinished files stay under the limit.
 */
export const attachmentChunks = pgTable(
  'attachment_chunks',
  {
    clinicId: text('clinic_id').notNull(),
    sha256: text('sha256').notNull(),
    chunkNo: integer('chunk_no').notNull(),
    bytes: bytea('bytes').notNull(),
    /** The device that sent it: its chunks of files not yet whole count against its limit. */
    deviceId: text('device_id'),
    /** Set on every chunk of the file once its chunks make up its sha256. */
    whole: boolean('whole').notNull().default(false),
    /** When it arrived: chunks of a file never completed stop counting against the limit after a while. */
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.clinicId, t.sha256, t.chunkNo] }),
    index('attachment_chunks_in_flight_idx').on(t.clinicId, t.deviceId).where(sql`NOT ${t.whole}`),
  ],
);
