import { and, asc, eq, inArray, isNull, ne } from 'drizzle-orm';
import { invoices, patients, users, visits } from '../../db/schema';
import type { ServiceContext } from '../core/context';
import { displayName } from './patient-search';

/** The billing counter's work list: today's seen patients whose visit has no bill yet. */
export function visitsToBill(ctx: ServiceContext, date: string) {
  const seen = ctx.db
    .select({ v: visits, p: { givenName: patients.givenName, familyName: patients.familyName, mrn: patients.mrn }, doctorName: users.fullName })
    .from(visits)
    .innerJoin(patients, eq(patients.id, visits.patientId))
    .innerJoin(users, eq(users.id, visits.doctorId))
    .where(and(eq(visits.date, date), inArray(visits.status, ['with-doctor', 'done']), isNull(visits.deletedAt)))
    .orderBy(asc(visits.finishedAt))
    .all();
  if (seen.length === 0) return [];
  const billed = new Set(
    ctx.db
      .select({ visitId: invoices.visitId })
      .from(invoices)
      .where(and(inArray(invoices.visitId, seen.map((s) => s.v.id)), ne(invoices.status, 'void'), isNull(invoices.deletedAt)))
      .all()
      .map((r) => r.visitId),
  );
  return seen
    .filter((s) => !billed.has(s.v.id))
    .map((s) => ({ visitId: s.v.id, patientId: s.v.patientId, patientName: displayName(s.p), mrn: s.p.mrn, doctorId: s.v.doctorId, doctorName: s.doctorName, tokenLabel: s.v.tokenLabel, status: s.v.status }));
}
