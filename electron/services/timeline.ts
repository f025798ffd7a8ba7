import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import { consultationAmendments, consultations, labOrders, labResults, labTests, users, visits } from '../../db/schema';
import type { AuthedContext } from '../core/context';
import { EMPTY_NOTE, effectiveNote, requireClinicalAccess } from './consultations';
import { requirePatient } from './patients';
import { bmiOf } from '../../shared/vitals';
import { certificatesOfVisits } from './certificates';
import { numericValue } from '../../shared/lab-ranges';
import { attachmentsOfTimeline } from './attachments';
import { attachedOf } from './labs';

type Ctx = AuthedContext;

/** A patient's past visits, newest first, with vitals, diagnoses and lab results, and vitals trends. */
export function patientTimeline(ctx: Ctx, patientId: string) {
  const patient = requirePatient(ctx, patientId);
  requireClinicalAccess(ctx, patientId);
  const rows = ctx.db
    .select({ v: visits, doctorName: users.fullName })
    .from(visits)
    .innerJoin(users, eq(users.id, visits.doctorId))
    .where(and(eq(visits.patientId, patientId), isNull(visits.deletedAt)))
    .orderBy(desc(visits.date), desc(visits.checkedInAt))
    .limit(200)
    .all();
  const visitIds = rows.map((r) => r.v.id);
  const notes = visitIds.length ? ctx.db.select().from(consultations).where(and(inArray(consultations.visitId, visitIds), isNull(consultations.deletedAt))).all() : [];
  const amendments = notes.length
    ? ctx.db.select().from(consultationAmendments).where(inArray(consultationAmendments.consultationId, notes.map((n) => n.id))).orderBy(asc(consultationAmendments.createdAt)).all()
    : [];
  const orders = visitIds.length
    ? ctx.db
        .select({ o: labOrders, name: labTests.name })
        .from(labOrders)
        .innerJoin(labTests, eq(labTests.id, labOrders.testId))
        .where(and(inArray(labOrders.visitId, visitIds), isNull(labOrders.deletedAt)))
        .all()
    : [];
  const certs = certificatesOfVisits(ctx, patientId);
  const results = orders.length ? ctx.db.select().from(labResults).where(inArray(labResults.orderId, orders.map((o) => o.o.id))).all() : [];

  const entries = rows.map(({ v, doctorName }) => {
    const c = notes.find((n) => n.visitId === v.id);
    const own = c ? amendments.filter((a) => a.consultationId === c.id) : [];
    const note = c ? effectiveNote({ ...EMPTY_NOTE, ...c.note }, own) : null;
    return {
      visitId: v.id,
      date: v.date,
      doctorName,
      status: c?.status ?? null,
      amended: own.length > 0,
      vitals: note?.vitals ?? {},
      bmi: note ? bmiOf(note.vitals) : null,
      chiefComplaints: note?.chiefComplaints ?? [],
      diagnoses: note?.diagnoses ?? [],
      advice: note?.advice ?? '',
      followUpDate: note?.followUpDate ?? v.followUpDate,
      // The patient's record keeps a copy of every certificate issued at the visit (void ones marked).
      certificates: certs.filter((x) => x.visitId === v.id),
      labs: orders
        .filter((o) => o.o.visitId === v.id)
        .map((o) => {
          const r = results.filter((x) => x.orderId === o.o.id).sort((a, b) => b.resultedAt - a.resultedAt)[0];
          return { testName: o.name, status: o.o.status, value: r?.value ?? null, unit: r?.unit ?? null, referenceRange: r?.referenceRange ?? null, abnormal: r?.abnormal ?? false, flag: r?.flag ?? null, critical: r?.critical ?? false, attached: attachedOf(ctx, r?.attachmentId ?? null) };
        }),
    };
  });
  const trend = [...entries]
    .reverse()
    .filter((e) => e.vitals.weightKg != null || e.vitals.bpSystolic != null || e.vitals.bloodSugar != null)
    .map((e) => ({ date: e.date, weightKg: e.vitals.weightKg ?? null, bpSystolic: e.vitals.bpSystolic ?? null, bpDiastolic: e.vitals.bpDiastolic ?? null, bloodSugar: e.vitals.bloodSugar ?? null }));
  const files = attachmentsOfTimeline(ctx, patientId, new Map(rows.map((r) => [r.v.id, r.v.date])));
  ctx.describe({ entityType: 'patients', entityId: patientId, detail: `timeline of ${patient.mrn}` });
  return { patientId, visits: entries, trend, labTrends: labTrendsOf(entries), attachments: files };
}

/** Each test with a numeric result at two or more visits: its values oldest first, for the doctor's trend. */
function labTrendsOf(entries: { date: string; labs: { testName: string; status: string; value: string | null; unit: string | null; flag: 'H' | 'L' | null }[] }[]) {
  const byTest = new Map<string, { testName: string; unit: string | null; points: { date: string; value: number; flag: 'H' | 'L' | null; verified: boolean }[] }>();
  for (const e of [...entries].reverse()) {
    for (const l of e.labs) {
      const value = l.value === null ? null : numericValue(l.value);
      if (value === null || l.status === 'cancelled') continue;
      const t = byTest.get(l.testName) ?? { testName: l.testName, unit: l.unit, points: [] };
      t.points.push({ date: e.date, value, flag: l.flag, verified: l.status === 'verified' });
      byTest.set(l.testName, t);
    }
  }
  return [...byTest.values()].filter((t) => t.points.length >= 2);
}
