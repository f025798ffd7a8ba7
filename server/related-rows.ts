import type { Signer } from '../shared/sync-rules';
import { chainFrom, patientMoveProblem, type MergeDeps } from './patient-merges';

/** A change as the server judges it, with the row as it stands there. */
export interface JudgedChange {
  table: string;
  rowId: string;
  op: 'insert' | 'update' | 'delete';
  columns: Readonly<Record<string, unknown>>;
  before: Readonly<Record<string, unknown>> | null;
  signer: Signer | null;
}

/** Rows made at a visit in the doctor's name: they must name a visit the server holds, of the same patient. */
const OF_A_VISIT: Readonly<Record<string, string>> = { certificates: 'a certificate', abdm_care_contexts: 'an ABDM care context' };

/**
 * What the rule book (shared/sync-rules.ts) cannot judge from the one row: rules that read other
 * rows the server holds. A patient move needs its merge (server/patient-merges.ts); a certificate
 * or ABDM care context needs its visit, of the same patient, signed by that visit's doctor (or,
 * for a care context, an administrator).
 */
export async function relatedRowsProblem(deps: MergeDeps, change: JudgedChange): Promise<string | null> {
  if (change.op === 'update') return patientMoveProblem(deps, change.table, change.before, change.columns, change.rowId);
  const what = OF_A_VISIT[change.table];
  if (change.op !== 'insert' || !what) return null;
  const { columns, signer } = change;
  const visitId = columns.visit_id;
  const visit = typeof visitId === 'string' ? (await deps.row('visits', visitId))?.data : undefined;
  if (!visit) return `${what} is made for a visit the server holds: visit ${String(visitId)} is not there`;
  // Through merges: a desk that had not pulled a merge yet names the merged record, the server the survivor.
  const ofVisit = await chainFrom(deps, String(visit.patient_id));
  const ofRow = await chainFrom(deps, String(columns.patient_id));
  if (ofVisit.end !== ofRow.end) return `${what} is for the patient of its visit: ${change.table}.patient_id is another patient`;
  if (columns.doctor_id !== visit.doctor_id) return `${what} names the visit's own doctor: ${change.table}.doctor_id is another doctor`;
  const admin = signer?.roles.includes('admin') === true;
  if (signer && !admin && signer.id !== visit.doctor_id) return `${what} is made by the doctor of the visit (or an administrator), not by another doctor`;
  return null;
}
