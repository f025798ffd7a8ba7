import { and, desc, eq, inArray, isNull, or } from 'drizzle-orm';
import { abdmCareContexts, abdmConsentViews, abdmLinkViews, abdmTransferViews, users } from '../../db/schema';
import { hasPermission } from '../../shared/permissions';
import { ApiFailure, type AuthedContext } from '../core/context';
import { requireClinicalAccess } from './consultations';
import { requirePatient } from './patients';

/**
 * The patient's ABDM panel (docs/ABDM.md "The patient's ABDM panel"), read from synced rows only,
 * so it works offline: the ABHA and how it was verified (patients.abha_verified_*), and, for those
 * who may read clinical data, the visits offered to ABDM with their link state, the consents the
 * consent manager notified, and what was sent on them (the server's rows abdm_*_views).
 */

/** ABDM's purpose codes (consent artefact `purpose.code`), as the desk shows them. */
const PURPOSES: Record<string, string> = {
  CAREMGT: 'Care management',
  BTG: 'Break the glass (emergency)',
  PUBHLTH: 'Public health',
  HPAYMT: 'Healthcare payment',
  DSRCH: 'Disease-specific research',
  PATRQT: 'Self-requested by the patient',
};

/** As shown: a consent granted but past its expiry (dataEraseAt) is EXPIRED even before ABDM says so. */
export type ConsentShownStatus = 'GRANTED' | 'REVOKED' | 'EXPIRED';

export interface AbdmPanel {
  abha: {
    abhaNumber: string | null;
    abhaAddress: string | null;
    verified: { at: number; by: string; method: string } | null;
    /**
     * Why visits wait unlinked, for every role (the one at the desk can fix it): the server held them
     * back because it never verified this ABHA itself (link copies in state `unverified`). Null otherwise.
     */
    relink: string | null;
  };
  /** Null for roles that may not read clinical data (the reason is `clinicalHidden`). */
  clinical: null | {
    visits: { visitId: string; display: string; hiTypes: string[]; state: 'not-offered' | 'unverified' | 'pending' | 'sent' | 'linked' | 'failed'; via: string | null; linkedAt: number | null; error: string | null }[];
    consents: { consentId: string; purposeCode: string | null; purpose: string; hiuId: string | null; hiTypes: string[]; visits: string[]; dateFrom: number | null; dateTo: number | null; expiresAt: number | null; grantedAt: number | null; status: ConsentShownStatus }[];
    transfers: { transactionId: string; consentId: string; hiuId: string | null; visits: string[]; status: string; reason: string | null; at: number }[];
  };
  clinicalHidden: string | null;
}

export function abdmPanel(ctx: AuthedContext, patientId: string): AbdmPanel {
  const p = requirePatient(ctx, patientId);
  const verifier = p.abhaVerifiedBy ? ctx.db.select({ name: users.fullName }).from(users).where(eq(users.id, p.abhaVerifiedBy)).get() : undefined;
  // The server's "unverified" copy is about the address it names: once reception removes or changes
  // the ABHA, verifying "again" is not the way out (the sweep judges the new address on its own).
  const current = p.abhaAddress?.trim().toLowerCase() ?? null;
  const stale = (l: { state: string; abhaAddress: string | null }) => l.state === 'unverified' && (current === null || (l.abhaAddress ?? '').trim().toLowerCase() !== current);
  const waiting = ctx.db
    .select({ state: abdmLinkViews.state, abhaAddress: abdmLinkViews.abhaAddress })
    .from(abdmLinkViews)
    .where(and(eq(abdmLinkViews.patientId, patientId), eq(abdmLinkViews.state, 'unverified'), isNull(abdmLinkViews.deletedAt)))
    .all()
    .filter((l) => !stale(l)).length;
  const abha = {
    relink: waiting > 0 ? `${waiting === 1 ? '1 visit is' : `${waiting} visits are`} not linked: verify the ABHA again (Edit details, then Alt+V) so ABDM accepts this clinic's link.` : null,
    abhaNumber: p.abhaNumber,
    abhaAddress: p.abhaAddress,
    verified: p.abhaVerifiedAt !== null ? { at: p.abhaVerifiedAt, by: verifier?.name ?? 'someone no longer on staff', method: p.abhaVerifyMethod ?? 'unknown' } : null,
  };
  if (!hasPermission(ctx.session.roles, 'clinical.read')) {
    return { abha, clinical: null, clinicalHidden: 'Linked visits, consents and what was shared are clinical records: doctors and administrators only.' };
  }
  // The same rule as the rest of the record: a doctor sees what was shared of their own patients only.
  try {
    requireClinicalAccess(ctx, patientId);
  } catch (e) {
    if (e instanceof ApiFailure && e.code === 'forbidden') return { abha, clinical: null, clinicalHidden: e.message };
    throw e;
  }
  const cc = ctx.db.select().from(abdmCareContexts).where(and(eq(abdmCareContexts.patientId, patientId), isNull(abdmCareContexts.deletedAt))).orderBy(desc(abdmCareContexts.createdAt)).all();
  const links = new Map(ctx.db.select().from(abdmLinkViews).where(eq(abdmLinkViews.patientId, patientId)).all().map((l) => [l.reference, l]));
  const displayOf = new Map(cc.map((c) => [c.reference, c.display]));
  const shown = (refs: string[]) => refs.map((r) => displayOf.get(r) ?? r);
  const visits = cc.map((c) => {
    const copy = links.get(c.reference);
    const l = copy && !stale(copy) ? copy : undefined;
    return { visitId: c.visitId, display: c.display, hiTypes: c.hiTypes, state: l ? (l.state as 'unverified' | 'pending' | 'sent' | 'linked' | 'failed') : ('not-offered' as const), via: l?.via ?? null, linkedAt: l?.linkedAt ?? null, error: l?.lastError ?? null };
  });
  // Only the patient the server placed the consent on (its care contexts' owner, or the one it
  // verified the ABHA for): the ABHA typed on this row may be another person's.
  const byPatient = eq(abdmConsentViews.patientId, patientId);
  const consentRows = ctx.db.select().from(abdmConsentViews).where(and(byPatient, isNull(abdmConsentViews.deletedAt))).orderBy(desc(abdmConsentViews.statusAt)).all();
  const now = ctx.now();
  const consents = consentRows.map((c) => ({
    consentId: c.consentId,
    purposeCode: c.purposeCode,
    purpose: (c.purposeCode && PURPOSES[c.purposeCode]) ?? c.purposeCode ?? 'Not stated',
    hiuId: c.hiuId,
    hiTypes: c.hiTypes,
    visits: shown(c.careContexts),
    dateFrom: c.dateFrom,
    dateTo: c.dateTo,
    expiresAt: c.dataEraseAt,
    grantedAt: c.grantedAt,
    status: (c.status === 'GRANTED' && c.dataEraseAt !== null && c.dataEraseAt <= now ? 'EXPIRED' : c.status) as ConsentShownStatus,
  }));
  const consentIds = consentRows.map((c) => c.consentId);
  const byTransfer = consentIds.length > 0 ? or(eq(abdmTransferViews.patientId, patientId), inArray(abdmTransferViews.consentId, consentIds)) : eq(abdmTransferViews.patientId, patientId);
  const transfers = ctx.db
    .select()
    .from(abdmTransferViews)
    .where(and(byTransfer, isNull(abdmTransferViews.deletedAt)))
    .orderBy(desc(abdmTransferViews.at))
    .all()
    .map((t) => ({ transactionId: t.transactionId, consentId: t.consentId, hiuId: t.hiuId, visits: shown(t.careContexts), status: t.status, reason: t.reason, at: t.at }));
  ctx.describe({ entityType: 'patients', entityId: patientId, detail: `ABDM panel read: ${visits.length} visit(s), ${consents.length} consent(s), ${transfers.length} transfer(s)` });
  return { abha, clinical: { visits, consents, transfers }, clinicalHidden: null };
}
