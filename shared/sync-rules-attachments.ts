import { ATTACHMENT_KINDS, ATTACHMENT_MIMES, attachmentFactsProblem } from './attachments';
import type { Role } from './enums';
import type { Judged, TableRules } from './sync-rules';

/** The attachments part of the rule book (spread into SYNC_RULES); docs/ATTACHMENTS.md. */

/** Who may attach a file to a patient (the `attachments.add` permission, shared/permissions.ts). */
export const ATTACHERS: readonly Role[] = ['admin', 'receptionist', 'doctor', 'labtech'];

/** What may change on an attachment once made: how it is filed, and its withdrawal. */
const REFILED = ['kind', 'title', 'document_date'];
const WITHDRAWAL = ['withdrawn_at', 'withdrawn_by', 'withdraw_reason'];

const filled = (v: unknown) => typeof v === 'string' && v.trim() !== '';

/**
 * Made whole, with file facts that add up (size within the limit, one hash per chunk); afterwards the
 * file itself (sha256, size, type, patient) never changes, and a withdrawal (with a reason) is final.
 */
function attachmentStates(j: Judged): string | null {
  const { facts, after, changed } = j;
  const before = facts.before;
  if (facts.op === 'insert' || !before) {
    const problem = attachmentFactsProblem(after);
    if (problem) return problem;
    if (WITHDRAWAL.some((c) => after[c] != null)) return 'a new attachment is not withdrawn';
    if (after.deleted_at != null) return 'an attachment is withdrawn with a reason, never deleted';
    return null;
  }
  if (changed.length === 0) return null;
  const frozen = changed.filter((c) => !REFILED.includes(c) && !WITHDRAWAL.includes(c));
  if (frozen.length > 0) return `an attachment's ${frozen.join(', ')} can no longer change (only its kind, title and date)`;
  if (before.withdrawn_at != null) return 'this attachment has been withdrawn and stays withdrawn';
  if (changed.some((c) => WITHDRAWAL.includes(c)) && (!filled(after.withdraw_reason) || after.withdrawn_at == null || after.withdrawn_by == null)) {
    return 'an attachment is withdrawn only with a reason, a time and the person withdrawing it';
  }
  return null;
}

export const ATTACHMENT_SYNC_RULES: Record<string, TableRules> = {
  attachments: {
    kind: 'lww',
    insert: ATTACHERS,
    update: ATTACHERS,
    delete: [],
    signedBy: ['made_by', 'withdrawn_by'],
    values: { kind: ATTACHMENT_KINDS, mime: ATTACHMENT_MIMES },
    states: attachmentStates,
  },
};
