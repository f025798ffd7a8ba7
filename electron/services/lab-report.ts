import { and, asc, eq, isNull } from 'drizzle-orm';
import { doctorProfiles, facility, labOrders, labResults, labTests, patients, users, visits } from '../../db/schema';
import type { Row } from '../../db/write';
import { ApiFailure, type AuthedContext } from '../core/context';
import { ageOn, localDate, localTime } from '../../shared/clinic-time';
import { formatDate } from '../pdf/format';
import { renderLabReportPdf, renderSampleLabelPdf, type LabReportDoc, type LabReportOptions, type LabReportRow } from '../pdf/lab-report';
import { attachedOf, currentResults } from './labs';
import { requireClinicalAccess } from './consultations';
import { displayName } from './patient-search';
import { getPrintSettings } from './printing';

/* The lab's printouts: the sample label and the visit's report (docs/LAB.md). Every print is audited. */

type Ctx = AuthedContext;
const SEX = { male: 'M', female: 'F', other: 'O' } as const;

function requireLabAccess(ctx: Ctx, patientId: string): void {
  if (ctx.session.roles.includes('admin') || ctx.session.roles.includes('labtech')) return;
  requireClinicalAccess(ctx, patientId);
}

const when = (ctx: Ctx, ms: number) => `${formatDate(localDate(ms, ctx.settings.timeZone))} ${localTime(ms, ctx.settings.timeZone)}`;

/** The label of a collected sample, as a PDF job. */
export function sampleLabelPdf(ctx: Ctx, input: { orderId: string }) {
  const o = ctx.db.select().from(labOrders).where(eq(labOrders.id, input.orderId)).get();
  if (!o || o.deletedAt !== null) throw new ApiFailure('not_found', 'No such lab order.', { orderId: 'No such lab order' });
  requireLabAccess(ctx, o.patientId);
  if (o.sampleId === null || o.sampleCollectedAt === null) throw new ApiFailure('conflict', 'Collect the sample first: the label carries its sample id.', { orderId: 'No sample yet' });
  const p = ctx.db.select().from(patients).where(eq(patients.id, o.patientId)).get()!;
  const t = ctx.db.select().from(labTests).where(eq(labTests.id, o.testId)).get()!;
  const label = { patientName: displayName(p), mrn: p.mrn, sampleId: o.sampleId, test: t.name, specimen: t.specimen, collected: when(ctx, o.sampleCollectedAt), date: localDate(o.sampleCollectedAt, ctx.settings.timeZone) };
  ctx.describe({ entityType: 'lab_orders', entityId: o.id, detail: `label of sample ${o.sampleId}` });
  return ctx.jobs.start('labs.label', async (control) => {
    control.progress(0, 1, 'Preparing the label…');
    const pdf = await renderSampleLabelPdf(label);
    return { sampleId: label.sampleId, fileName: `sample-${label.sampleId.replace(/\//g, '-')}.pdf`, pdfBase64: pdf.toString('base64') };
  });
}

function signerOf(ctx: Ctx, userId: string) {
  const u = ctx.db.select().from(users).where(eq(users.id, userId)).get();
  const profile = ctx.db.select().from(doctorProfiles).where(eq(doctorProfiles.userId, userId)).get();
  return { u, profile };
}

/**
 * The report of a visit: every order (verified ones with their values; others as awaited or
 * cancelled). Needs at least one verified result: an unverified value is never printed.
 */
// Long by design: one pass from the rows to the report's view model (rows, people, dates).
function reportDoc(ctx: Ctx, visitId: string): { doc: LabReportDoc; verifiedIds: string[] } {
  const v = ctx.db.select().from(visits).where(eq(visits.id, visitId)).get();
  if (!v || v.deletedAt !== null) throw new ApiFailure('not_found', 'No such visit.', { visitId: 'No such visit' });
  requireLabAccess(ctx, v.patientId);
  const orders = ctx.db
    .select({ o: labOrders, t: labTests })
    .from(labOrders)
    .innerJoin(labTests, eq(labTests.id, labOrders.testId))
    .where(and(eq(labOrders.visitId, visitId), isNull(labOrders.deletedAt)))
    .orderBy(asc(labOrders.createdAt))
    .all();
  const verified = orders.filter((x) => x.o.status === 'verified');
  if (verified.length === 0) throw new ApiFailure('conflict', 'No verified result at this visit yet: a report prints verified results only.', { visitId: 'Nothing verified' });
  const results = currentResults(ctx, orders.map((x) => x.o.id));
  // The report prints exactly the verified row (an order verified before verified_result_id existed:
  // its latest row, as it was then). A newer row is an amendment waiting for verification; a
  // verified row that has not arrived by sync yet is awaited.
  const printed = new Map<string, Row<typeof labResults>>();
  const rows: LabReportRow[] = orders.map(({ o, t }) => {
    const r = results.get(o.id);
    const all = r ? [r, ...r.history] : [];
    const v = o.status === 'verified' ? all.find((x) => x.id === (o.verifiedResultId ?? r?.id)) : undefined;
    if (v) printed.set(o.id, v);
    // A newer row than the verified one, or (once the order went back to be verified) an amendment.
    const newer = (v !== undefined && r !== undefined && r.id !== v.id) || (o.status === 'resulted' && r?.amends != null);
    const ok = v !== undefined && !newer;
    const was = v?.amends ? all.find((h) => h.id === v.amends) : undefined;
    return {
      test: t.name,
      specimen: t.specimen,
      sampleId: o.sampleId,
      status: ok ? 'verified' : newer ? 'amending' : o.status === 'cancelled' ? 'cancelled' : 'awaited',
      value: ok ? v.value : null,
      unit: ok ? v.unit : null,
      range: ok ? v.referenceRange : null,
      flag: ok ? v.flag : null,
      critical: ok ? v.critical : false,
      amended: ok && was ? { was: was.value, reason: v.amendReason ?? '' } : null,
      attached: ok ? attachedOf(ctx, v.attachmentId) : null,
    };
  });
  const shown = verified.filter((x) => rows[orders.indexOf(x)]?.status === 'verified');
  if (shown.length === 0) throw new ApiFailure('conflict', 'No verified result at this visit yet: a report prints verified results only.', { visitId: 'Nothing verified' });
  const enteredIds = [...new Set(shown.map((x) => printed.get(x.o.id)!.resultedBy))];
  const verifierIds = [...new Set(shown.map((x) => x.o.verifiedBy!))];
  const enteredBy = enteredIds.map((id) => {
    const { u, profile } = signerOf(ctx, id);
    const role = profile ? profile.qualifications : u?.roles.includes('labtech') ? 'Lab technician' : '';
    return `${u?.fullName ?? 'Unknown'}${role ? ` (${role})` : ''}`;
  });
  const verifiedBy = verifierIds.map((id) => {
    const { u, profile } = signerOf(ctx, id);
    const detail = profile ? `${profile.qualifications}, Reg. No. ${profile.registrationNumber} (${profile.registrationCouncil})` : 'Administrator';
    return { name: u?.fullName ?? 'Unknown', detail };
  });
  const p = ctx.db.select().from(patients).where(eq(patients.id, v.patientId)).get()!;
  const doctor = ctx.db.select({ n: users.fullName }).from(users).where(eq(users.id, v.doctorId)).get();
  const clinic = ctx.db.select().from(facility).get()!;
  const firstSample = orders.map((x) => x.o.sampleCollectedAt).filter((x): x is number => x !== null).sort((a, b) => a - b)[0];
  const collectedDay = firstSample !== undefined ? localDate(firstSample, ctx.settings.timeZone) : v.date;
  const doc: LabReportDoc = {
    clinic: { name: clinic.name, address: clinic.address, phone: clinic.phone, timings: clinic.letterhead.timingsText ?? null, tagline: clinic.letterhead.tagline ?? null, logo: clinic.letterhead.logo ?? null },
    patient: { name: displayName(p), age: ageOn(p.dob, collectedDay), sex: SEX[p.gender], mrn: p.mrn },
    referredBy: doctor?.n ?? null,
    visitDate: v.date,
    date: ctx.today(),
    collected: firstSample !== undefined ? when(ctx, firstSample) : null,
    rows,
    enteredBy,
    verifiedBy,
  };
  return { doc, verifiedIds: shown.map((x) => x.o.id) };
}

/** The report's paper: A4 with the letterhead unless asked otherwise (the desk's margins). */
function reportOptions(ctx: Ctx, options: Partial<LabReportOptions> | undefined): LabReportOptions {
  const desk = getPrintSettings(ctx.sqlite);
  return { paper: options?.paper ?? 'A4', letterhead: options?.letterhead ?? desk.letterhead, marginTopMm: desk.marginTopMm, marginLeftMm: desk.marginLeftMm };
}

/** Marks the verified results printed (the first print is the "printed" step) and audits it. */
function markPrinted(ctx: Ctx, visitId: string, ids: string[], what: string) {
  for (const id of ids) {
    const o = ctx.db.select().from(labOrders).where(eq(labOrders.id, id)).get()!;
    ctx.write.update(labOrders, id, { reportPrintedAt: o.reportPrintedAt ?? ctx.now(), reportPrintCount: o.reportPrintCount + 1 });
  }
  ctx.describe({ entityType: 'visits', entityId: visitId, detail: `${what} lab report (${ids.length} verified result${ids.length === 1 ? '' : 's'})` });
}

export function labReportPdf(ctx: Ctx, input: { visitId: string; options?: Partial<LabReportOptions> | undefined }) {
  const { doc, verifiedIds } = reportDoc(ctx, input.visitId);
  const options = reportOptions(ctx, input.options);
  markPrinted(ctx, input.visitId, verifiedIds, 'PDF of');
  return ctx.jobs.start('labs.report', async (control) => {
    control.progress(0, 1, 'Preparing the lab report…');
    const pdf = await renderLabReportPdf(doc, options);
    return { fileName: `lab-report-${doc.patient.mrn}-${doc.visitDate}.pdf`, pdfBase64: pdf.toString('base64') };
  });
}

export function printLabReport(ctx: Ctx, input: { visitId: string; printer?: string | null | undefined; options?: Partial<LabReportOptions> | undefined }) {
  const { doc, verifiedIds } = reportDoc(ctx, input.visitId);
  const options = reportOptions(ctx, input.options);
  const printer = input.printer ?? getPrintSettings(ctx.sqlite).printer;
  markPrinted(ctx, input.visitId, verifiedIds, 'print of');
  const spooler = ctx.spooler;
  return ctx.jobs.start('labs.printReport', async (control) => {
    control.progress(0, 2, 'Preparing the lab report…');
    const pdf = await renderLabReportPdf(doc, options);
    control.progress(1, 2, 'Sending to the printer…');
    const sent = await spooler.print(pdf, printer, `Lab report ${doc.patient.mrn}`, options.paper);
    return { printer: sent.printer, printJob: sent.jobId };
  });
}
