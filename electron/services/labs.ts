import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import { attachments, labOrders, labResults, labTests, patients, users, visits } from '../../db/schema';
import type { Row } from '../../db/write';
import { ApiFailure, type AuthedContext } from '../core/context';
import { ageOn, localDate } from '../../shared/clinic-time';
import { flagOf, isCritical, LAB_RANGES, numericValue, rangeFor } from '../../shared/lab-ranges';
import { requireClinicalAccess } from './consultations';
import { displayName } from './patient-search';
import { getWorkstation, nextInSeries } from './workstation';

/*
 * The lab (docs/LAB.md): ordered -> sample collected (a sample id from this desk's never-reused
 * series) -> result entered (range by the patient's age and sex at collection, H/L and critical
 * flags) -> verified by someone else (locks it: a later correction is an amendment keeping the old
 * value) -> printed. The rule book (shared/sync-rules-lab.ts) holds the server to the same steps.
 */

type Ctx = AuthedContext;
type OrderRow = Row<typeof labOrders>;
type ResultRow = Row<typeof labResults>;

export function listLabTests(ctx: Pick<Ctx, 'db'>) {
  return ctx.db
    .select({ id: labTests.id, code: labTests.code, name: labTests.name, specimen: labTests.specimen, unit: labTests.unit, referenceRange: labTests.referenceRange, pricePaise: labTests.pricePaise })
    .from(labTests)
    .where(and(eq(labTests.active, true), isNull(labTests.deletedAt)))
    .orderBy(asc(labTests.name))
    .all()
    .map((t) => ({ ...t, ranges: LAB_RANGES[t.code]?.bands ?? [], critical: LAB_RANGES[t.code]?.critical ?? null }));
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
    .where(and(eq(labOrders.visitId, visit.id), isNull(labOrders.deletedAt), inArray(labOrders.status, ['ordered', 'collected', 'resulted', 'verified'])))
    .all()
    .map((o) => o.testId);
  return tests
    .filter((t) => !already.includes(t.id))
    .map((t) => {
      const o = ctx.write.insert(labOrders, { visitId: visit.id, patientId: visit.patientId, testId: t.id, orderedBy: ctx.session.userId, status: 'ordered' });
      return { orderId: o.id, testName: t.name };
    });
}

const NUMERIC_RANGE = /^\s*(?:\d+(?:\.\d+)?\s*[-–]\s*\d+(?:\.\d+)?|[<>]=?\s*\d+(?:\.\d+)?)\s*$/;

/** Kept for callers that only ask "abnormal or not". */
export function outsideRange(value: string, range: string | null): boolean | null {
  // A range in words ("Negative") cannot be compared with a number: unknown, not "normal".
  if (!range || numericValue(value) === null || !NUMERIC_RANGE.test(range)) return null;
  return flagOf(value, range) !== null;
}

/** Lab staff and administrators work on any patient's orders; a doctor on their own patients'. */
function requireLabAccess(ctx: Ctx, patientId: string): void {
  const roles = ctx.session.roles;
  if (roles.includes('admin') || roles.includes('labtech')) return;
  requireClinicalAccess(ctx, patientId);
}

function requireOrder(ctx: Ctx, orderId: string): OrderRow {
  const order = ctx.db.select().from(labOrders).where(eq(labOrders.id, orderId)).get();
  if (!order || order.deletedAt !== null) throw new ApiFailure('not_found', 'No such lab order.', { orderId: 'No such lab order' });
  requireLabAccess(ctx, order.patientId);
  if (order.status === 'cancelled') throw new ApiFailure('conflict', `This test was cancelled (${order.cancelReason ?? 'no reason'}).`, { orderId: 'Cancelled' });
  return order;
}

/** The latest result of each order (a correction or amendment is a newer row; the old ones stay). */
export function currentResults(ctx: Pick<Ctx, 'db'>, orderIds: string[]): Map<string, ResultRow & { history: ResultRow[] }> {
  const rows = orderIds.length ? ctx.db.select().from(labResults).where(inArray(labResults.orderId, orderIds)).orderBy(desc(labResults.resultedAt), desc(labResults.hlc)).all() : [];
  const out = new Map<string, ResultRow & { history: ResultRow[] }>();
  for (const r of rows) {
    const seen = out.get(r.orderId);
    if (seen) seen.history.push(r);
    else out.set(r.orderId, { ...r, history: [] });
  }
  return out;
}

/** The patient's range for the test: by sex and age on the day the sample was taken (today before that). */
function rangeOf(ctx: Ctx, order: OrderRow, test: { code: string; referenceRange: string | null }) {
  const p = ctx.db.select({ gender: patients.gender, dob: patients.dob }).from(patients).where(eq(patients.id, order.patientId)).get()!;
  const day = order.sampleCollectedAt !== null ? localDate(order.sampleCollectedAt, ctx.settings.timeZone) : ctx.today();
  return rangeFor(test.code, test.referenceRange, p.gender, ageOn(p.dob, day));
}

/** Takes the sample: a sample id from this desk's series "S/A/000001", never handed out again. */
export function collectSample(ctx: Ctx, input: { orderId: string }) {
  const order = requireOrder(ctx, input.orderId);
  if (order.status !== 'ordered') throw new ApiFailure('conflict', `The sample was already collected (${order.sampleId ?? ''}).`, { orderId: 'Already collected' });
  const sampleId = `S/${getWorkstation(ctx.db).seriesPrefix}/${String(nextInSeries(ctx.db, 'lab-sample')).padStart(6, '0')}`;
  ctx.write.update(labOrders, order.id, { status: 'collected', sampleId, sampleCollectedBy: ctx.session.userId, sampleCollectedAt: ctx.now() });
  ctx.describe({ entityType: 'lab_orders', entityId: order.id, detail: `sample ${sampleId} collected` });
  return { orderId: order.id, sampleId };
}

export interface ResultInput {
  orderId: string;
  value: string;
  unit?: string | null | undefined;
  referenceRange?: string | null | undefined;
  abnormal?: boolean | undefined;
  /** Needed to correct a verified result (an amendment). */
  reason?: string | null | undefined;
  /** An outside lab's report (an attachment of kind lab_report of the same patient and visit). */
  attachmentId?: string | null | undefined;
}

/** What an outside lab's report given as a result reads when no value is typed. */
export const SEE_ATTACHED = 'See attached report';

/** The outside lab's report for this order: a lab report attached to the same patient (and visit, when it names one), not withdrawn. */
function outsideReport(ctx: Ctx, order: OrderRow, attachmentId: string) {
  const a = ctx.db.select().from(attachments).where(eq(attachments.id, attachmentId)).get();
  const bad = (why: string) => new ApiFailure('invalid_input', `Outside lab report: ${why}`, { attachmentId: why });
  if (!a || a.deletedAt !== null) return bad('No such attached file');
  if (a.patientId !== order.patientId) return bad('That file is another patient’s');
  if (a.visitId !== null && a.visitId !== order.visitId) return bad('That file was attached to another visit');
  if (a.kind !== 'lab_report') return bad('That file is not filed as a lab report');
  if (a.withdrawnAt !== null) return bad('That file was withdrawn');
  return null;
}

/**
 * Enters (or corrects) the result. Numeric tests (those with a unit) take a number; the range is the
 * patient's (or the one given, e.g. the kit's); H/L and critical follow. After verification only an
 * amendment with a reason: the old row stays and the order waits for verification again.
 */
export function recordLabResult(ctx: Ctx, input: ResultInput) {
  const order = requireOrder(ctx, input.orderId);
  if (order.status === 'ordered') throw new ApiFailure('conflict', 'Collect the sample first: a result is entered against a sample.', { orderId: 'No sample yet' });
  const test = ctx.db.select().from(labTests).where(eq(labTests.id, order.testId)).get()!;
  const attachmentId = input.attachmentId ?? null;
  if (attachmentId) {
    const problem = outsideReport(ctx, order, attachmentId);
    if (problem) throw problem;
  }
  const value = input.value.trim() || (attachmentId ? SEE_ATTACHED : '');
  if (value === '') throw new ApiFailure('invalid_input', 'Result is required: type it, or attach the outside lab’s report', { value: 'Type the result or attach the outside lab’s report' });
  // An outside lab's report may stand for the value ("See attached report"); a typed number still gets its flag.
  if (test.unit !== null && numericValue(value) === null && !attachmentId) throw new ApiFailure('invalid_input', `Result must be a number in ${test.unit} (e.g. 12.5)`, { value: `Result must be a number in ${test.unit}` });
  const previous = currentResults(ctx, [order.id]).get(order.id) ?? null;
  const reason = input.reason?.trim() || null;
  const amending = order.status === 'verified';
  if (amending && !reason) throw new ApiFailure('invalid_input', 'Reason is required: this result was verified, so a correction is an amendment that says why', { reason: 'Reason is required to amend a verified result' });
  const range = input.referenceRange?.trim() || rangeOf(ctx, order, test);
  const flag = flagOf(value, range);
  const critical = isCritical(test.code, value);
  const abnormal = input.abnormal ?? (flag !== null || critical);
  const r = ctx.write.insert(labResults, {
    orderId: order.id,
    patientId: order.patientId,
    value,
    unit: input.unit?.trim() || test.unit,
    referenceRange: range,
    abnormal,
    flag,
    critical,
    // The verified row is the one amended (a newer unverified row may have arrived by sync).
    amends: amending ? order.verifiedResultId ?? previous?.id ?? null : null,
    amendReason: amending ? reason : null,
    attachmentId,
    resultedBy: ctx.session.userId,
    resultedAt: ctx.now(),
  });
  ctx.write.update(labOrders, order.id, { status: 'resulted', resultedBy: ctx.session.userId, verifiedBy: null, verifiedAt: null, verifiedResultId: null });
  return { resultId: r.id, abnormal, flag, critical, referenceRange: range, amended: amending };
}

/** Verifies the current result: by a doctor or administrator who did not enter it. Locks it. */
export function verifyLabOrder(ctx: Ctx, input: { orderId: string }) {
  const order = requireOrder(ctx, input.orderId);
  if (order.status === 'verified') throw new ApiFailure('conflict', 'This result is already verified.', { orderId: 'Already verified' });
  if (order.status !== 'resulted') throw new ApiFailure('conflict', 'There is no result to verify yet.', { orderId: 'No result yet' });
  // The latest result is the one verified, and its own enterer (not the order's, which a synced
  // correction may not have updated yet, or an order resulted before the sample step never named) is
  // the one who may not verify it.
  const current = currentResults(ctx, [order.id]).get(order.id);
  if (!current) throw new ApiFailure('conflict', 'There is no result to verify yet.', { orderId: 'No result yet' });
  if (current.resultedBy === ctx.session.userId || order.resultedBy === ctx.session.userId) {
    throw new ApiFailure('forbidden', 'You entered this result: another doctor or the administrator verifies it (a second pair of eyes).', { orderId: 'Entered by you' });
  }
  ctx.write.update(labOrders, order.id, { status: 'verified', verifiedBy: ctx.session.userId, verifiedAt: ctx.now(), verifiedResultId: current.id });
  return { orderId: order.id, status: 'verified' as const };
}

/** Cancels an order not yet verified; it stays on the lists as cancelled, with the reason. */
export function cancelLabOrder(ctx: Ctx, input: { orderId: string; reason: string }) {
  const order = requireOrder(ctx, input.orderId);
  if (order.status === 'verified') throw new ApiFailure('conflict', 'A verified result is not cancelled: amend it if it is wrong.', { orderId: 'Verified' });
  ctx.write.update(labOrders, order.id, { status: 'cancelled', cancelledBy: ctx.session.userId, cancelledAt: ctx.now(), cancelReason: input.reason.trim() });
  return { orderId: order.id, status: 'cancelled' as const };
}

/** The outside lab's report named by a result, as the report lists it (a withdrawn file is not listed). */
export function attachedOf(ctx: Pick<Ctx, 'db'>, attachmentId: string | null): { title: string; date: string } | null {
  if (!attachmentId) return null;
  const a = ctx.db.select({ title: attachments.title, date: attachments.documentDate, withdrawnAt: attachments.withdrawnAt }).from(attachments).where(eq(attachments.id, attachmentId)).get();
  // The date as kept (YYYY-MM-DD): the print and the screens each write it their own way.
  return a && a.withdrawnAt === null ? { title: a.title, date: a.date } : null;
}

const userName = (ctx: Pick<Ctx, 'db'>, id: string | null) => (id ? (ctx.db.select({ n: users.fullName }).from(users).where(eq(users.id, id)).get()?.n ?? null) : null);

/**
 * The lab's list for a day (the visits of that date): every order with its step, the patient's
 * range and the current result. Administrators and lab staff see the clinic's; a doctor their own.
 */
export function labDay(ctx: Ctx, input: { date?: string | null | undefined }) {
  const date = input.date ?? ctx.today();
  const s = ctx.session;
  const where = [eq(visits.date, date), isNull(labOrders.deletedAt)];
  if (!s.roles.includes('admin') && !s.roles.includes('labtech')) where.push(eq(visits.doctorId, s.userId));
  const rows = ctx.db
    .select({ o: labOrders, t: labTests, p: { givenName: patients.givenName, familyName: patients.familyName, mrn: patients.mrn, gender: patients.gender, dob: patients.dob }, doctorName: users.fullName })
    .from(labOrders)
    .innerJoin(labTests, eq(labTests.id, labOrders.testId))
    .innerJoin(patients, eq(patients.id, labOrders.patientId))
    .innerJoin(visits, eq(visits.id, labOrders.visitId))
    .innerJoin(users, eq(users.id, visits.doctorId))
    .where(and(...where))
    .orderBy(asc(labOrders.createdAt))
    .all();
  const results = currentResults(ctx, rows.map((r) => r.o.id));
  ctx.describe({ entityType: 'lab_orders', entityId: null, detail: `lab list of ${date}` });
  return rows.map(({ o, t, p, doctorName }) => {
    const r = results.get(o.id);
    const day = o.sampleCollectedAt !== null ? localDate(o.sampleCollectedAt, ctx.settings.timeZone) : date;
    const age = ageOn(p.dob, day);
    return {
      orderId: o.id,
      visitId: o.visitId,
      patientId: o.patientId,
      date,
      status: o.status,
      testCode: t.code,
      testName: t.name,
      specimen: t.specimen,
      unit: t.unit,
      numeric: t.unit !== null,
      referenceRange: rangeFor(t.code, t.referenceRange, p.gender, age),
      critical: LAB_RANGES[t.code]?.critical ?? null,
      patientName: displayName(p),
      mrn: p.mrn,
      age,
      sex: p.gender,
      doctorName,
      sampleId: o.sampleId,
      sampleCollectedAt: o.sampleCollectedAt,
      result: r ? { value: r.value, unit: r.unit, flag: r.flag, critical: r.critical, enteredBy: userName(ctx, r.resultedBy), amended: r.amends !== null, attachmentId: r.attachmentId } : null,
      resultedBy: o.resultedBy,
      verifiedBy: userName(ctx, o.verifiedBy),
      cancelReason: o.cancelReason,
      reportPrintCount: o.reportPrintCount,
    };
  });
}
