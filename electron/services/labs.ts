import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { labOrders, labResults, labTests, patients, visits } from '../../db/schema';
import { ApiFailure, type AuthedContext } from '../core/context';
import { requireClinicalAccess } from './consultations';
import { displayName } from './patient-search';

type Ctx = AuthedContext;

export function listLabTests(ctx: Pick<Ctx, 'db'>) {
  return ctx.db
    .select({ id: labTests.id, code: labTests.code, name: labTests.name, specimen: labTests.specimen, unit: labTests.unit, referenceRange: labTests.referenceRange, pricePaise: labTests.pricePaise })
    .from(labTests)
    .where(and(eq(labTests.active, true), isNull(labTests.deletedAt)))
    .orderBy(asc(labTests.name))
    .all();
}

export function orderLabTests(ctx: Ctx, input: { visitId: string; testIds: string[] }) {
  const visit = ctx.db.select().from(visits).where(eq(visits.id, input.visitId)).get();
  if (!visit || visit.deletedAt !== null) throw new ApiFailure('not_found', 'No such visit.', { visitId: 'No such visit' });
  if (visit.doctorId !== ctx.session?.userId) throw new ApiFailure('forbidden', 'Only the visit’s doctor orders its tests.');
  const tests = ctx.db.select().from(labTests).where(inArray(labTests.id, input.testIds)).all();
  const missing = input.testIds.filter((id) => !tests.some((t) => t.id === id));
  if (missing.length > 0) throw new ApiFailure('invalid_input', 'testIds: Unknown lab test', { testIds: 'Unknown lab test' });
  const already = ctx.db
    .select({ testId: labOrders.testId })
    .from(labOrders)
    .where(and(eq(labOrders.visitId, visit.id), isNull(labOrders.deletedAt)))
    .all()
    .map((o) => o.testId);
  return tests
    .filter((t) => !already.includes(t.id))
    .map((t) => {
      const o = ctx.write.insert(labOrders, { visitId: visit.id, patientId: visit.patientId, testId: t.id, orderedBy: ctx.session.userId, status: 'ordered' });
      return { orderId: o.id, testName: t.name };
    });
}

/**
 * "13.0-17.0" or "< 200" or "> 40": is a numeric value outside it? Null when it cannot tell.
 * A strict limit is itself outside ("< 200": 200 is abnormal); "<= 200" includes it.
 */
export function outsideRange(value: string, range: string | null): boolean | null {
  const v = Number(value.trim());
  if (!range || Number.isNaN(v)) return null;
  const between = /^\s*([\d.]+)\s*[-–]\s*([\d.]+)\s*$/.exec(range);
  if (between) return v < Number(between[1]) || v > Number(between[2]);
  const below = /^\s*<(=?)\s*([\d.]+)\s*$/.exec(range);
  if (below) return below[1] ? v > Number(below[2]) : v >= Number(below[2]);
  const above = /^\s*>(=?)\s*([\d.]+)\s*$/.exec(range);
  if (above) return above[1] ? v < Number(above[2]) : v <= Number(above[2]);
  return null;
}

export function recordLabResult(
  ctx: Ctx,
  input: { orderId: string; value: string; unit?: string | null | undefined; referenceRange?: string | null | undefined; abnormal?: boolean | undefined },
) {
  const order = ctx.db.select().from(labOrders).where(eq(labOrders.id, input.orderId)).get();
  if (!order || order.deletedAt !== null) throw new ApiFailure('not_found', 'No such lab order.', { orderId: 'No such lab order' });
  requireClinicalAccess(ctx, order.patientId);
  if (order.status === 'cancelled') throw new ApiFailure('conflict', 'This test was cancelled.', { orderId: 'Cancelled' });
  const test = ctx.db.select().from(labTests).where(eq(labTests.id, order.testId)).get()!;
  const range = input.referenceRange ?? test.referenceRange;
  const abnormal = input.abnormal ?? outsideRange(input.value, range) ?? false;
  const r = ctx.write.insert(labResults, {
    orderId: order.id,
    patientId: order.patientId,
    value: input.value,
    unit: input.unit ?? test.unit,
    referenceRange: range,
    abnormal,
    resultedBy: ctx.session.userId,
    resultedAt: ctx.now(),
  });
  if (order.status !== 'resulted') ctx.write.update(labOrders, order.id, { status: 'resulted' });
  return { resultId: r.id, abnormal };
}

/** Tests ordered and still waiting for a result, oldest first (for whoever enters results). */
export function pendingLabOrders(ctx: Ctx) {
  const s = ctx.session;
  const where = [eq(labOrders.status, 'ordered'), isNull(labOrders.deletedAt)];
  if (!s.roles.includes('admin')) where.push(eq(visits.doctorId, s.userId));
  return ctx.db
    .select({ o: labOrders, testName: labTests.name, unit: labTests.unit, referenceRange: labTests.referenceRange, p: { givenName: patients.givenName, familyName: patients.familyName, mrn: patients.mrn }, date: visits.date })
    .from(labOrders)
    .innerJoin(labTests, eq(labTests.id, labOrders.testId))
    .innerJoin(patients, eq(patients.id, labOrders.patientId))
    .innerJoin(visits, eq(visits.id, labOrders.visitId))
    .where(and(...where))
    .orderBy(asc(labOrders.createdAt))
    .all()
    .map(({ o, testName, unit, referenceRange, p, date }) => ({ orderId: o.id, visitId: o.visitId, date, testName, unit, referenceRange, patientName: displayName(p), mrn: p.mrn }));
}
