import { eq } from 'drizzle-orm';
import type { Db } from './open';
import { patients } from './schema';

export { KEPT_ON_MERGE } from '../shared/sync-rules-abdm';

/**
 * The record a patient was merged into, following a chain (A into B, B into C gives C); the
 * patient itself when not merged. A chain that loops (two desks merged a pair both ways before
 * the server settled it) stops where it would repeat, so a read never spins.
 */
export function survivorOf(db: Db, patientId: string): string {
  let id = patientId;
  const seen = new Set<string>([id]);
  for (;;) {
    const next = db.select({ mergedInto: patients.mergedInto }).from(patients).where(eq(patients.id, id)).get()?.mergedInto;
    if (!next || seen.has(next)) return id;
    seen.add(next);
    id = next;
  }
}

/**
 * A new row for a merged patient is written for the survivor: the Writer calls this on every
 * insert, so a screen still showing the old record (or a desk that just pulled the merge) never
 * files a visit, booking or bill under a record that no longer stands on its own.
 */
export function followMergedPatient<V extends object>(db: Db, values: V): V {
  const patientId = (values as { patientId?: unknown }).patientId;
  if (typeof patientId !== 'string') return values;
  const survivor = survivorOf(db, patientId);
  return survivor === patientId ? values : { ...values, patientId: survivor };
}

/**
 * A patient and every record merged into them, directly or along a chain: the ids under which
 * insert-only rows (payments, refunds, lab results, credit notes) of the one person may stand,
 * since a merge cannot move a ledger row.
 */
export function patientFamily(db: Db, patientId: string): string[] {
  const family = [patientId];
  for (let i = 0; i < family.length && family.length < 1000; i++) {
    for (const r of db.select({ id: patients.id }).from(patients).where(eq(patients.mergedInto, family[i]!)).all()) {
      if (!family.includes(r.id)) family.push(r.id);
    }
  }
  return family;
}
