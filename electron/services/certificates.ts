import { and, desc, eq, isNull } from 'drizzle-orm';
import { certificates, doctorProfiles, facility, patients, users, visits } from '../../db/schema';
import type { Row } from '../../db/write';
import { ApiFailure, type AuthedContext } from '../core/context';
import { ageOn, localDate } from '../../shared/clinic-time';
import { certificateProblems, daysInclusive } from '../../shared/certificates';
import { renderCertificatePdf, type CertificateDoc } from '../pdf/certificate';
import { currentNoteOf } from './consultations';
import { displayName } from './patient-search';
import { requirePatient } from './patients';
import { printLanguageFor, printSettingsFor } from './print-language';
import { addressLine } from './prescription-print-record';
import type { PrintSettings } from './printing';
import { getWorkstation, nextInSeries } from './workstation';

/*
 * Medical and fitness certificates: issued by the visit's own doctor (a certificate is a doctor's
 * act: not an administrator's), locked once issued, voided with a reason and replaced by a new
 * one with a new number. Every list, PDF and print is audited (the router, and `describe`).
 */

type Ctx = AuthedContext;
type CertificateRow = Row<typeof certificates>;
const SEX = { male: 'M', female: 'F', other: 'O' } as const;
/** The series' code per kind: "MC/A/000001", "FC/A/000001". */
const SERIES = { medical_leave: 'MC', fitness: 'FC' } as const;

export interface IssueInput {
  visitId: string;
  kind: 'medical_leave' | 'fitness';
  diagnosis: string;
  restFrom?: string | null | undefined;
  restTo?: string | null | undefined;
  fitFrom?: string | null | undefined;
  purpose?: string | null | undefined;
  remarks?: string | null | undefined;
  language?: 'en' | 'en+hi' | null | undefined;
}

function ownVisit(ctx: Ctx, visitId: string) {
  const v = ctx.db.select().from(visits).where(eq(visits.id, visitId)).get();
  if (!v || v.deletedAt !== null) throw new ApiFailure('not_found', 'No such visit.', { visitId: 'No such visit' });
  if (v.doctorId !== ctx.session?.userId) throw new ApiFailure('forbidden', 'Only the doctor the patient is checked in with may certify this visit: a certificate is the examining doctor’s own act.');
  return v;
}

function requireProfile(ctx: Ctx, doctorId: string) {
  const profile = ctx.db.select().from(doctorProfiles).where(eq(doctorProfiles.userId, doctorId)).get();
  if (!profile) {
    const name = ctx.db.select({ n: users.fullName }).from(users).where(eq(users.id, doctorId)).get()?.n ?? 'The doctor';
    throw new ApiFailure('conflict', `${name}'s registration number is not recorded; a certificate must show it (NMC). Ask the administrator to fill it in under Doctors.`);
  }
  return profile;
}

/** What the dialog starts from: the visit's diagnoses as one line, the patient's print language, the visit's date. */
export function certificateDraft(ctx: Ctx, visitId: string) {
  const v = ownVisit(ctx, visitId);
  const note = currentNoteOf(ctx, visitId);
  return {
    visitId,
    visitDate: v.date,
    diagnosis: note.diagnoses.map((d) => d.title.trim()).filter((t) => t !== '').join('; '),
    language: printLanguageFor(ctx, visitId).language,
    issued: listRows(ctx, v.patientId).filter((r) => r.visitId === visitId).map(summary),
  };
}

/** Issues a certificate: checked, numbered from this desk's series of its kind, locked from now on. */
export function issueCertificate(ctx: Ctx, input: IssueInput) {
  const v = ownVisit(ctx, input.visitId);
  requireProfile(ctx, v.doctorId);
  const diagnosis = input.diagnosis.trim();
  const problems = certificateProblems(input, v.date);
  if (!diagnosis) problems.diagnosis = 'Diagnosis is required: a certificate says what the patient suffers from';
  const first = Object.entries(problems)[0];
  if (first) throw new ApiFailure('invalid_input', first[1], problems);
  const medical = input.kind === 'medical_leave';
  const code = SERIES[input.kind];
  const number = `${code}/${getWorkstation(ctx.db).seriesPrefix}/${String(nextInSeries(ctx.db, `certificate-${code}`)).padStart(6, '0')}`;
  const row = ctx.write.insert(certificates, {
    number,
    kind: input.kind,
    patientId: v.patientId,
    visitId: v.id,
    doctorId: v.doctorId,
    diagnosis,
    restFrom: medical ? (input.restFrom ?? null) : null,
    restTo: medical ? (input.restTo ?? null) : null,
    fitFrom: medical ? null : (input.fitFrom ?? null),
    purpose: medical ? null : (input.purpose?.trim() ?? null),
    remarks: input.remarks?.trim() || null,
    language: input.language ?? printLanguageFor(ctx, v.id).language,
    issuedAt: ctx.now(),
    issuedBy: ctx.session.userId,
  });
  ctx.describe({ entityType: 'certificates', entityId: row.id, detail: `issued ${number}` });
  return summary({ ...row, doctorName: null });
}

/** Voids an issued certificate (its own doctor, with a reason); the number is never used again. */
export function voidCertificate(ctx: Ctx, input: { id: string; reason: string }) {
  const row = requireCertificate(ctx, input.id);
  if (row.doctorId !== ctx.session.userId) throw new ApiFailure('forbidden', 'Only the doctor who issued a certificate may void it.');
  if (row.voidedAt !== null) throw new ApiFailure('conflict', `Certificate ${row.number} is already void.`, { id: 'Already void' });
  const done = ctx.write.update(certificates, row.id, { voidedAt: ctx.now(), voidedBy: ctx.session.userId, voidReason: input.reason.trim() });
  ctx.describe({ entityType: 'certificates', entityId: row.id, detail: `voided ${row.number}: ${input.reason.trim()}` });
  return summary({ ...done, doctorName: null });
}

function requireCertificate(ctx: Ctx, id: string): CertificateRow {
  const row = ctx.db.select().from(certificates).where(and(eq(certificates.id, id), isNull(certificates.deletedAt))).get();
  if (!row) throw new ApiFailure('not_found', 'No such certificate.', { id: 'No such certificate' });
  return row;
}

function listRows(ctx: Pick<Ctx, 'db'>, patientId: string) {
  return ctx.db
    .select({ c: certificates, doctorName: users.fullName })
    .from(certificates)
    .innerJoin(users, eq(users.id, certificates.doctorId))
    .where(and(eq(certificates.patientId, patientId), isNull(certificates.deletedAt)))
    .orderBy(desc(certificates.issuedAt))
    .limit(200)
    .all()
    .map((r) => ({ ...r.c, doctorName: r.doctorName }));
}

function summary(r: CertificateRow & { doctorName: string | null }) {
  return {
    id: r.id,
    number: r.number,
    kind: r.kind,
    visitId: r.visitId,
    patientId: r.patientId,
    doctorId: r.doctorId,
    doctorName: r.doctorName,
    diagnosis: r.diagnosis,
    restFrom: r.restFrom,
    restTo: r.restTo,
    days: daysInclusive(r.restFrom, r.restTo),
    fitFrom: r.fitFrom,
    purpose: r.purpose,
    remarks: r.remarks,
    language: r.language,
    issuedAt: r.issuedAt,
    voidedAt: r.voidedAt,
    voidReason: r.voidReason,
  };
}

export type CertificateSummary = ReturnType<typeof summary>;

/** A patient's certificates, newest first (reception reprints from here). */
export function listCertificates(ctx: Ctx, patientId: string) {
  const patient = requirePatient(ctx, patientId);
  ctx.describe({ entityType: 'patients', entityId: patientId, detail: `certificates of ${patient.mrn}` });
  return listRows(ctx, patientId).map(summary);
}

/** The certificates of some visits, for the timeline (no audit of its own: the timeline's read is). */
export function certificatesOfVisits(ctx: Pick<Ctx, 'db'>, patientId: string) {
  return listRows(ctx, patientId).map(summary);
}

function certificateDoc(ctx: Ctx, row: CertificateRow): CertificateDoc {
  const patient = ctx.db.select().from(patients).where(eq(patients.id, row.patientId)).get()!;
  const doctor = ctx.db.select().from(users).where(eq(users.id, row.doctorId)).get()!;
  const profile = requireProfile(ctx, row.doctorId);
  const clinic = ctx.db.select().from(facility).get()!;
  const date = localDate(row.issuedAt, ctx.settings.timeZone);
  return {
    clinic: { name: clinic.name, address: clinic.address, phone: clinic.phone, timings: clinic.letterhead.timingsText ?? null, tagline: clinic.letterhead.tagline ?? null, logo: clinic.letterhead.logo ?? null },
    doctor: { name: doctor.fullName, qualifications: profile.qualifications, registrationCouncil: profile.registrationCouncil, registrationNumber: profile.registrationNumber, specialization: profile.specialization },
    patient: { name: displayName(patient), age: ageOn(patient.dob, date), sex: SEX[patient.gender], mrn: patient.mrn, address: addressLine(patient) },
    number: row.number,
    kind: row.kind,
    date,
    diagnosis: row.diagnosis,
    restFrom: row.restFrom,
    restTo: row.restTo,
    days: daysInclusive(row.restFrom, row.restTo),
    fitFrom: row.fitFrom,
    purpose: row.purpose,
    remarks: row.remarks,
  };
}

/**
 * The certificate as a PDF (a job whose bytes only its owner reads with jobs.document): its doctor
 * or reception (a copy for the patient). Each one is audited with the certificate's number.
 */
/** The certificate, the print settings it prints with, and the audit line naming it; refuses a void one. */
function printable(ctx: Ctx, input: { id: string; options?: Partial<PrintSettings> | undefined }, what: string) {
  const row = requireCertificate(ctx, input.id);
  requirePatient(ctx, row.patientId);
  if (row.voidedAt !== null) throw new ApiFailure('conflict', `Certificate ${row.number} was voided (${row.voidReason ?? 'no reason'}): print the certificate issued in its place.`, { id: 'Void' });
  const doc = certificateDoc(ctx, row);
  const settings = { ...printSettingsFor(ctx, row.visitId, input.options), language: input.options?.language ?? row.language };
  const who = ctx.session.userId === row.doctorId ? 'by its doctor' : 'copy';
  ctx.describe({ entityType: 'certificates', entityId: row.id, detail: `${what} ${row.number} (${who})` });
  return { row, doc, settings };
}

export function certificatePdf(ctx: Ctx, input: { id: string; options?: Partial<PrintSettings> | undefined }) {
  const { row, doc, settings } = printable(ctx, input, 'PDF of');
  return ctx.jobs.start('certificates.pdf', async (control) => {
    control.progress(0, 1, 'Preparing the certificate…');
    const pdf = await renderCertificatePdf(doc, settings);
    return { number: row.number, fileName: `certificate-${row.number.replace(/\//g, '-')}.pdf`, pdfBase64: pdf.toString('base64') };
  });
}

/** Prints on this desk's printer (or the one named) in the background; audited like the PDF. */
export function printCertificate(ctx: Ctx, input: { id: string; printer?: string | null | undefined; options?: Partial<PrintSettings> | undefined }) {
  const { row, doc, settings } = printable(ctx, input, 'print of');
  const printer = input.printer ?? settings.printer;
  const spooler = ctx.spooler;
  return ctx.jobs.start('certificates.print', async (control) => {
    control.progress(0, 2, 'Preparing the certificate…');
    const pdf = await renderCertificatePdf(doc, settings);
    control.progress(1, 2, 'Sending to the printer…');
    const sent = await spooler.print(pdf, printer, `Certificate ${row.number}`, settings.paper);
    return { number: row.number, printer: sent.printer, printJob: sent.jobId };
  });
}
