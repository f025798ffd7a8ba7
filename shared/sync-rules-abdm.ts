import { DESK_SHARE_COLUMNS, PROFILE_SHARE_STATUSES } from './abdm-shares';
import type { Judged, TableRules } from './sync-rules';

/** The ABDM part of the rule book (spread into SYNC_RULES). */

/**
 * Merged tables whose rows do NOT move to the survivor: what ABDM was told stays as it was told (a
 * care context linked, a profile shared under the merged record keeps its patient and is followed).
 * The desk's merge (electron/services/patient-merge.ts), the server's (server/patient-merges.ts) and
 * the rule book's patient move (shared/sync-rules.ts) all skip them.
 */
export const KEPT_ON_MERGE: readonly string[] = ['abdm_care_contexts', 'abdm_profile_shares', 'abdm_consent_views', 'abdm_transfer_views', 'abdm_link_views'];

/** The hiTypes an ABDM care context may hold (db/schema/abdm.ts). */
const ABDM_HI_TYPES: readonly string[] = ['OPConsultation', 'Prescription', 'Invoice'];

/** Who may bill (shared/sync-rules.ts MONEY): they alone add, replace or remove a visit's Invoice record. */
const BILLING: readonly string[] = ['admin', 'receptionist', 'cashier'];

/**
 * An ABDM care context (one per completed visit): made by the visit's doctor (or an administrator);
 * afterwards a clinical record may be added, but one once written never changes or goes: what was
 * linked and perhaps already sent to ABDM stays what it was (a corrected note is a new version,
 * docs/ABDM.md). The Invoice record follows the visit's bills instead (a voided bill is no longer
 * sent; its replacement is): whoever may bill adds, replaces or removes it. That it stands for an
 * issued bill of the visit, and replaces one only once void, needs the bill rows (server/related-rows.ts).
 */
function careContextRules(j: Judged): string | null {
  const { facts, after, changed } = j;
  const bundles = after.bundles;
  if (!bundles || typeof bundles !== 'object' || Array.isArray(bundles)) return 'abdm_care_contexts.bundles must be a record of FHIR bundles by hiType';
  const kinds = Object.keys(bundles);
  const types = Array.isArray(after.hi_types) ? after.hi_types : [];
  if (kinds.length === 0 || kinds.some((k) => !ABDM_HI_TYPES.includes(k)) || types.length !== kinds.length || kinds.some((k) => !types.includes(k))) {
    return 'abdm_care_contexts.hi_types must name exactly the bundles it holds';
  }
  if (facts.op === 'insert' || !facts.before) {
    if (after.reference !== after.visit_id) return 'an ABDM care context is referenced by its visit id';
    if (facts.signer && !facts.signer.roles.includes('admin') && after.doctor_id !== facts.signer.id) return 'an ABDM care context is made by the doctor who completed the visit';
    // A removed one would hold its visit's place (one per visit) and the visit would never be linked.
    if (after.deleted_at != null) return 'an ABDM care context is not made removed';
    return null;
  }
  const moved = changed.filter((c) => c !== 'bundles' && c !== 'hi_types');
  if (moved.length > 0) return `an ABDM care context's ${moved.join(', ')} can no longer change`;
  const before = facts.before.bundles;
  const held = before && typeof before === 'object' && !Array.isArray(before) ? (before as Record<string, unknown>) : {};
  for (const [k, v] of Object.entries(held)) {
    if (k === 'Invoice') continue;
    if (JSON.stringify((bundles as Record<string, unknown>)[k]) !== JSON.stringify(v)) return `the ${k} record of an ABDM care context never changes once made (an amendment makes a new version)`;
  }
  const billChanged = JSON.stringify((bundles as Record<string, unknown>).Invoice) !== JSON.stringify(held.Invoice);
  // The visit's doctor adds the bill already issued when completing the visit (abdm-care-contexts.ts):
  // adds only, to a care context holding none; replacing or removing one is the billing counter's.
  const doctorAdds = facts.signer !== null && facts.signer.id === facts.before.doctor_id && held.Invoice === undefined;
  const billing = facts.signer === null || facts.signer.roles.some((r) => BILLING.includes(r)) || doctorAdds;
  if (billChanged && !billing) return "the Invoice record of an ABDM care context is added, replaced or removed only by someone who may bill (the visit's doctor adds the bill already issued, at completion)";
  // The billing counter adds the visit's bill; a clinical record is added only by the visit's doctor
  // (or an administrator): what is sent to ABDM as this clinic's record is the doctor's.
  const added = kinds.filter((k) => !(k in held));
  const byDoctor = facts.signer === null || facts.signer.roles.includes('admin') || facts.signer.id === facts.before.doctor_id;
  const clinical = added.filter((k) => k !== 'Invoice');
  if (clinical.length > 0 && !byDoctor) return `the ${clinical.join(', ')} record of an ABDM care context is added only by the visit's doctor`;
  return null;
}

/**
 * A profile shared through ABDM Scan & Share is written by the clinic's server alone (no role may
 * insert or delete one: every device's insert is refused); reception records only its progress.
 */
function shareProgressOnly(j: Judged): string | null {
  const other = j.changed.filter((c) => !DESK_SHARE_COLUMNS.includes(c));
  if (other.length > 0) return `on a shared ABDM profile a desk records only ${DESK_SHARE_COLUMNS.join(', ')}, not ${other.join(', ')} (ABDM's, through the clinic's server)`;
  // Progress only goes forward and a share's visit is set once: a share put back to "waiting" would
  // hand its token to a second visit.
  const before = j.facts.before ?? {};
  const step = (s: unknown) => SHARE_PROGRESS.indexOf(String(s));
  if (j.changed.includes('status') && step(before.status) >= 0 && step(j.after.status) < step(before.status)) {
    return `a shared ABDM profile that is ${String(before.status)} cannot go back to ${String(j.after.status)}`;
  }
  if (j.changed.includes('visit_id') && before.visit_id != null) return 'a shared ABDM profile is checked in once: its visit cannot change';
  return null;
}

/** The desk's steps for a share, in order (expired is shown from the time, never written back). */
const SHARE_PROGRESS: readonly string[] = ['waiting', 'registered', 'checked_in'];

export const ABDM_SYNC_RULES: Record<string, TableRules> = {
  // Made at completion; a clinical record may be added, never changed or removed; the Invoice record follows the visit's bills.
  abdm_care_contexts: { kind: 'lww', insert: ['admin', 'doctor'], update: ['admin', 'doctor', 'receptionist', 'cashier'], delete: [], states: careContextRules },
  abdm_profile_shares: { kind: 'lww', insert: [], update: ['admin', 'receptionist'], delete: [], values: { status: PROFILE_SHARE_STATUSES }, states: shareProgressOnly },
  // The patient's ABDM panel (server/abdm/panel-rows.ts): what ABDM did, told by the clinic's server
  // alone; no device inserts, changes or removes a row.
  abdm_consent_views: { kind: 'lww', insert: [], update: [], delete: [] },
  abdm_transfer_views: { kind: 'lww', insert: [], update: [], delete: [] },
  abdm_link_views: { kind: 'lww', insert: [], update: [], delete: [] },
};
