import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { v5 as uuidv5 } from 'uuid';
import type { ServerDb } from '../db/open';
import { abdmCareContextLinks, abdmConsents, abdmVerifiedAbha, rows } from '../db/schema';
import { ServerRows } from '../server-rows';
import { CARE_CONTEXTS_TABLE, servedClinic } from './care-contexts';

/**
 * The patient's ABDM panel on the desks (docs/ABDM.md "The patient's ABDM panel"): what the server
 * stored of consents, links and transfers, copied into server-authored synced rows
 * (server/server-rows.ts) that every desk pulls, so the panel works when the clinic is offline. Each
 * writer is called with one line from where the server's own state changes (consent.ts, link.ts,
 * discover.ts, health-info.ts). A failure here never undoes what ABDM was answered: the copy is
 * written again the next time (links on every sweep; consents and transfers on their next change).
 */
export const CONSENT_VIEWS = 'abdm_consent_views';
export const TRANSFER_VIEWS = 'abdm_transfer_views';
export const LINK_VIEWS = 'abdm_link_views';

/** Row ids derived from ABDM's own ids, so the same consent, transfer or link is always one row. */
const NAMESPACE = '6f1d3c52-8a0e-4d8e-9b4a-2c1e5d7a9b31';
const rowIdOf = (kind: string, key: string) => uuidv5(`${kind}:${key}`, NAMESPACE);

const writers = new WeakMap<ServerDb, ServerRows>();
function serverRows(db: ServerDb): ServerRows {
  let w = writers.get(db);
  if (!w) writers.set(db, (w = new ServerRows(db)));
  return w;
}

const ms = (d: Date | null | undefined): number | null => (d ? d.getTime() : null);

/**
 * The patient a consent is about: the owner of its care contexts, else the one patient the server
 * itself verified the consent's ABHA for (abdm_verified_abha). Never the ABHA typed on a patient row:
 * two rows can carry the same one, and a consent must not show on the wrong patient's panel. None
 * or several verified patients: no patient (the consent has no panel to show on).
 */
async function patientOf(db: ServerDb, clinicId: string, references: string[], abhaAddress: string | null): Promise<string | null> {
  if (references.length > 0) {
    const [cc] = await db
      .select({ patientId: sql<string | null>`${rows.data}->>'patient_id'` })
      .from(rows)
      .where(and(eq(rows.clinicId, clinicId), eq(rows.tableName, CARE_CONTEXTS_TABLE), inArray(sql`${rows.data}->>'reference'`, references)))
      .limit(1);
    if (cc?.patientId) return cc.patientId;
  }
  if (!abhaAddress) return null;
  const bound = await db
    .selectDistinct({ patientId: abdmVerifiedAbha.patientId })
    .from(abdmVerifiedAbha)
    .where(and(eq(abdmVerifiedAbha.clinicId, clinicId), eq(abdmVerifiedAbha.abhaAddress, abhaAddress.trim().toLowerCase()), isNotNull(abdmVerifiedAbha.patientId)))
    .limit(2);
  return bound.length === 1 ? bound[0]!.patientId : null;
}

/** Writes (or updates) the panel's copy of a stored consent (abdm_consents), after each notification acted on. */
export async function writeConsentView(db: ServerDb, configuredClinic: string | undefined, consentId: string): Promise<void> {
  const [consent] = await db.select().from(abdmConsents).where(eq(abdmConsents.consentId, consentId)).limit(1);
  const clinicId = await servedClinic(db, configuredClinic);
  // A revocation heard before its grant has no artefact yet: nothing to show until the grant comes.
  if (!consent || !clinicId || !consent.hipId) return;
  const references = consent.careContexts.map((c) => c.careContextReference);
  const patientId = await patientOf(db, clinicId, references, consent.patientAbhaAddress);
  await serverRows(db).within(clinicId, async (w) => {
    await w.write(CONSENT_VIEWS, rowIdOf('consent', consentId), {
      consent_id: consentId,
      patient_id: patientId,
      abha_address: consent.patientAbhaAddress,
      status: consent.status,
      purpose_code: consent.purposeCode,
      hiu_id: consent.hiuId,
      hi_types: consent.hiTypes,
      care_contexts: references,
      date_from: ms(consent.dateFrom),
      date_to: ms(consent.dateTo),
      data_erase_at: ms(consent.dataEraseAt),
      granted_at: ms(consent.grantedAt),
      status_at: ms(consent.updatedAt) ?? w.now,
    });
  });
}

/** What a transfer's panel row needs of the health-information request (health-info.ts ValidRequest). */
export interface TransferFacts {
  transactionId: string;
  consent: { consentId: string; hiuId: string | null };
  contexts: { reference: string; careContext: { patientId: string } }[];
}

/** Records a transfer made on a consent (after the data-flow notify): TRANSFERRED, or FAILED with why. */
export async function writeTransferView(db: ServerDb, configuredClinic: string | undefined, request: TransferFacts, result: { ok: true } | { ok: false; why: string }): Promise<void> {
  const clinicId = await servedClinic(db, configuredClinic);
  if (!clinicId) return;
  await serverRows(db).within(clinicId, async (w) => {
    await w.write(TRANSFER_VIEWS, rowIdOf('transfer', request.transactionId), {
      consent_id: request.consent.consentId,
      transaction_id: request.transactionId,
      patient_id: request.contexts[0]?.careContext.patientId ?? null,
      hiu_id: request.consent.hiuId,
      care_contexts: request.contexts.map((c) => c.reference),
      status: result.ok ? 'TRANSFERRED' : 'FAILED',
      reason: result.ok ? null : result.why,
      at: w.now,
    });
  });
}

/**
 * Brings the panel's copies of a clinic's care-context links (abdm_care_context_links) up to date:
 * only the links whose state, route, error or link time differ from their copy are written, so a
 * sweep with nothing new writes nothing (and desks pull nothing).
 */
export async function syncLinkViews(db: ServerDb, clinicId: string | null): Promise<void> {
  if (!clinicId) return;
  const links = await db.select().from(abdmCareContextLinks).where(eq(abdmCareContextLinks.clinicId, clinicId));
  if (links.length === 0) return;
  const copies = await db
    .select({ rowId: rows.rowId, data: rows.data })
    .from(rows)
    .where(and(eq(rows.clinicId, clinicId), eq(rows.tableName, LINK_VIEWS)));
  const byId = new Map(copies.map((c) => [c.rowId, c.data]));
  const stale = links
    .map((l) => ({
      rowId: rowIdOf('link', `${clinicId}:${l.reference}`),
      columns: { reference: l.reference, patient_id: l.patientId, abha_address: l.abhaAddress, via: l.via, state: l.state, last_error: l.lastError, linked_at: ms(l.linkedAt) },
    }))
    .filter(({ rowId, columns }) => {
      const copy = byId.get(rowId);
      return !copy || (Object.keys(columns) as (keyof typeof columns)[]).some((k) => (copy[k] ?? null) !== columns[k]);
    });
  if (stale.length === 0) return;
  await serverRows(db).within(clinicId, async (w) => {
    for (const s of stale) await w.write(LINK_VIEWS, s.rowId, s.columns);
  });
}

/** Shown on the panel for a visit held back because the server has not verified the patient's ABHA itself. */
export const UNVERIFIED_REASON = "Not linked: verify the ABHA again (Alt+V) so ABDM accepts this clinic's link";

/**
 * Visits the linking sweep holds back because the patient's ABHA was never verified by this server
 * (typed, or marked verified at a desk before the server kept its own record, migration 0009) get
 * a panel copy in state `unverified` with the way out, instead of no copy at all ("not offered",
 * no reason). Same row id as the link's own copy: once the ABHA is verified through the server the
 * sweep makes the link and syncLinkViews overwrites it. Written only when missing or different.
 */
export async function syncUnverifiedViews(db: ServerDb, clinicId: string, waiting: { reference: string; patientId: string; abhaAddress: string }[]): Promise<void> {
  if (waiting.length === 0) return;
  const ids = waiting.map((w) => rowIdOf('link', `${clinicId}:${w.reference}`));
  const copies = await db
    .select({ rowId: rows.rowId, data: rows.data })
    .from(rows)
    .where(and(eq(rows.clinicId, clinicId), eq(rows.tableName, LINK_VIEWS), inArray(rows.rowId, ids)));
  const byId = new Map(copies.map((c) => [c.rowId, c.data]));
  const stale = waiting
    .map((w, i) => ({ rowId: ids[i]!, columns: { reference: w.reference, patient_id: w.patientId, abha_address: w.abhaAddress.trim().toLowerCase(), via: 'hip', state: 'unverified', last_error: UNVERIFIED_REASON, linked_at: null } }))
    .filter(({ rowId, columns }) => {
      const copy = byId.get(rowId);
      return !copy || (Object.keys(columns) as (keyof typeof columns)[]).some((k) => (copy[k] ?? null) !== columns[k]);
    });
  if (stale.length === 0) return;
  await serverRows(db).within(clinicId, async (w) => {
    for (const s of stale) await w.write(LINK_VIEWS, s.rowId, s.columns);
  });
}
