import type { Session } from '../core/context';
import type { JobOwner, JobView } from './jobs';
import { hasPermission, type Permission } from '../../shared/permissions';

/**
 * Jobs whose progress others may follow: the people who may start that kind of work see each
 * other's runs (two administrators watching one backup). Jobs that make patient documents
 * (prescriptions, invoices, receipts, day-end) are not listed: only the person who asked sees them,
 * and anyone else allowed to print one makes their own, audited.
 */
const SHARED_KINDS: readonly (readonly [prefix: string, permission: Permission])[] = [
  ['backup', 'backups.manage'],
  ['reference.', 'reference.manage'],
  ['formulary.', 'formulary.manage'],
  ['sync.', 'settings.manage'],
];

export function canSeeJob(session: Session, job: Pick<JobView, 'kind'>, owner: JobOwner): boolean {
  if (owner.userId !== null && owner.userId === session.userId) return true;
  const shared = SHARED_KINDS.find(([prefix]) => job.kind.startsWith(prefix));
  return shared !== undefined && hasPermission(session.roles, shared[1]);
}

/** A job's document (PDF bytes) goes to the person who asked for it, and no one else. */
export function canReadJobDocument(session: Session, owner: JobOwner): boolean {
  return owner.userId !== null && owner.userId === session.userId;
}
