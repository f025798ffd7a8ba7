import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { doctorProfiles, facility, patients, prescriptions, users, visits } from '../../db/schema';
import { renderPrescriptionPdf, type PrescriptionDoc } from '../pdf/prescription';
import { ApiFailure, type AuthedContext } from '../core/context';
import { ageOn } from '../../shared/clinic-time';
import { currentNoteOf, temperatureUnitOf } from './consultations';
import { displayName } from './patient-search';
import { PRINT_JOB_KINDS, prescriptionOf, requireOwnVisit } from './prescriptions';
import type { Row } from '../../db/write';
import { printSettingsFor } from './print-language';
import type { PrintSettings } from './printing';
import { addressLine, allergiesForPrint, investigationsForPrint, vitalsForPrint } from './prescription-print-record';

type Ctx = AuthedContext;
const SEX = { male: 'M', female: 'F', other: 'O' } as const;

/** The verification hash: what was prescribed, to whom, by whom and when, so a copy can be checked. */
function contentHash(doc: Omit<PrescriptionDoc, 'verification' | 'duplicate'>): string {
  const canonical = JSON.stringify([doc.rxNumber, doc.date, doc.patient.mrn, doc.doctor.registrationNumber, doc.items.map((i) => [i.genericName, i.strength, i.dose, i.frequency, i.durationDays])]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/**
 * The prescription's own fields as they went into a document. The print locks the row only if it
 * still reads the same when the print has finished: the locked record must be what is on paper.
 */
function printedFields(row: Row<typeof prescriptions>): string {
  return JSON.stringify([row.items, row.advice, row.adviceHi, row.diet, row.investigations, row.followUpDate, row.deletedAt]);
}

/** Everything the PDF shows, read from the records; fails if the doctor's registration is missing (NMC). */
export function prescriptionDoc(ctx: Ctx, visitId: string): { doc: PrescriptionDoc; rxId: string; firstPrint: boolean; fields: string } {
  const row = prescriptionOf(ctx, visitId);
  if (!row || row.items.length === 0) throw new ApiFailure('conflict', 'There is nothing on this prescription yet.', { visitId: 'No items' });
  const visit = ctx.db.select().from(visits).where(eq(visits.id, visitId)).get()!;
  const patient = ctx.db.select().from(patients).where(eq(patients.id, row.patientId)).get()!;
  const doctor = ctx.db.select().from(users).where(eq(users.id, row.doctorId)).get()!;
  const profile = ctx.db.select().from(doctorProfiles).where(eq(doctorProfiles.userId, row.doctorId)).get();
  if (!profile) {
    throw new ApiFailure('conflict', `${doctor.fullName}'s registration number is not recorded; a prescription must show it (NMC). Ask the administrator to fill it in under Doctors.`);
  }
  const clinic = ctx.db.select().from(facility).get()!;
  // As the record stands now: an amended diagnosis prints amended.
  const note = currentNoteOf(ctx, visitId);
  const diagnoses = note.diagnoses.map((d) => (d.code ? `${d.title} (${d.code})` : d.title));
  const base = {
    clinic: { name: clinic.name, address: clinic.address, phone: clinic.phone, timings: clinic.letterhead.timingsText ?? null, tagline: clinic.letterhead.tagline ?? null, logo: clinic.letterhead.logo ?? null },
    doctor: { name: doctor.fullName, qualifications: profile.qualifications, registrationCouncil: profile.registrationCouncil, registrationNumber: profile.registrationNumber, specialization: profile.specialization },
    patient: { name: displayName(patient), age: ageOn(patient.dob, visit.date), sex: SEX[patient.gender], mrn: patient.mrn, abhaNumber: patient.abhaNumber, mobile: patient.mobile, address: addressLine(patient) },
    rxNumber: row.rxNumber,
    date: visit.date,
    vitals: vitalsForPrint(note.vitals, temperatureUnitOf(ctx)),
    allergies: allergiesForPrint(patient),
    diagnoses,
    items: row.items,
    advice: row.advice?.trim() ? row.advice : note.advice,
    adviceHi: row.adviceHi,
    diet: row.diet,
    investigations: investigationsForPrint(ctx, visitId, [row.investigations, note.investigations]),
    followUpDate: row.followUpDate ?? note.followUpDate,
  };
  const hash = row.contentHash ?? contentHash(base);
  const firstPrint = row.status !== 'printed';
  return { doc: { ...base, verification: { hash }, duplicate: firstPrint ? null : { printedOn: ctx.today() } }, rxId: row.id, firstPrint, fields: printedFields(row) };
}

/**
 * A change that arrived from another workstation (sync) since the document was made: saves on this
 * one are refused during a first print (savePrescription). Checked before the paper goes to the
 * printer, so no copy that differs from the record is printed, and again when locking.
 */
function requireUnchanged(ctx: Ctx, printed: { rxId: string; rxNumber: string; fields: string }, when: string) {
  const row = ctx.db.select().from(prescriptions).where(eq(prescriptions.id, printed.rxId)).get()!;
  if (row.status !== 'printed' && printedFields(row) !== printed.fields) {
    throw new Error(`Prescription ${printed.rxNumber} was changed ${when}, so it is not locked${when === 'while it was printing' ? ' and this copy is not valid' : ''}: print again.`);
  }
  return row;
}

/** After a print (or save as PDF) succeeded: the first one locks the prescription; later ones are counted. */
function markPrinted(ctx: Ctx, action: string, printed: { rxId: string; rxNumber: string; hash: string; fields: string }, detail: string) {
  ctx.afterwards(action, (write) => {
    const row = requireUnchanged(ctx, printed, 'while it was printing');
    const { rxId, hash } = printed;
    write.update(prescriptions, rxId, row.status === 'printed' ? { printCount: row.printCount + 1 } : { status: 'printed', printedAt: ctx.now(), printCount: 1, contentHash: hash });
    ctx.describe({ detail });
  });
}

export interface PrintRequest {
  visitId: string;
  printer?: string | null | undefined;
  options?: Partial<PrintSettings> | undefined;
}

/**
 * Prints in the background (rendering and spooling take a moment): the call returns the job at
 * once. Only a print that reached the printer locks the prescription; a reprint says DUPLICATE.
 */
export function printPrescription(ctx: Ctx, input: PrintRequest) {
  requireOwnVisit(ctx, input.visitId);
  const { doc, rxId, firstPrint, fields } = prescriptionDoc(ctx, input.visitId);
  const settings = printSettingsFor(ctx, input.visitId, input.options);
  const printer = input.printer ?? settings.printer;
  ctx.describe({ entityType: 'prescriptions', entityId: rxId, detail: `${firstPrint ? 'print' : 'reprint (DUPLICATE)'} ${doc.rxNumber} on ${printer ?? 'the default printer'}` });
  const spooler = ctx.spooler;
  return ctx.jobs.start(PRINT_JOB_KINDS.print, async (control) => {
    control.progress(0, 2, 'Preparing the prescription…');
    const pdf = await renderPrescriptionPdf(doc, settings);
    requireUnchanged(ctx, { rxId, rxNumber: doc.rxNumber, fields }, 'before it reached the printer');
    control.progress(1, 2, 'Sending to the printer…');
    const sent = await spooler.print(pdf, printer, `Prescription ${doc.rxNumber}`, settings.paper);
    markPrinted(ctx, 'prescriptions.printed', { rxId, rxNumber: doc.rxNumber, hash: doc.verification.hash, fields }, `${doc.rxNumber} printed on ${sent.printer} (${sent.jobId ?? 'job'})${firstPrint ? '' : ' as DUPLICATE'}`);
    return { rxNumber: doc.rxNumber, printer: sent.printer, printJob: sent.jobId, duplicate: !firstPrint };
  });
}

/** "Save as PDF": the same document as a file; it counts as a print (locks; later copies say DUPLICATE). */
export function prescriptionPdf(ctx: Ctx, input: PrintRequest) {
  requireOwnVisit(ctx, input.visitId);
  const { doc, rxId, firstPrint, fields } = prescriptionDoc(ctx, input.visitId);
  const settings = printSettingsFor(ctx, input.visitId, input.options);
  ctx.describe({ entityType: 'prescriptions', entityId: rxId, detail: `PDF of ${doc.rxNumber}${firstPrint ? '' : ' (DUPLICATE)'}` });
  return ctx.jobs.start(PRINT_JOB_KINDS.pdf, async (control) => {
    control.progress(0, 1, 'Preparing the PDF…');
    const pdf = await renderPrescriptionPdf(doc, settings);
    markPrinted(ctx, 'prescriptions.exported', { rxId, rxNumber: doc.rxNumber, hash: doc.verification.hash, fields }, `${doc.rxNumber} saved as PDF${firstPrint ? '' : ' (DUPLICATE)'}`);
    return { rxNumber: doc.rxNumber, fileName: `prescription-${doc.rxNumber.replace(/\//g, '-')}.pdf`, pdfBase64: pdf.toString('base64'), duplicate: !firstPrint };
  });
}

/**
 * A look before printing: the same document, watermarked PREVIEW on every page, as a job whose PDF
 * only its owner reads. It locks nothing, counts no print and is not DUPLICATE: it is audited as a read.
 */
export function previewPrescription(ctx: Ctx, input: PrintRequest) {
  requireOwnVisit(ctx, input.visitId);
  const { doc, rxId } = prescriptionDoc(ctx, input.visitId);
  const settings = printSettingsFor(ctx, input.visitId, input.options);
  ctx.describe({ entityType: 'prescriptions', entityId: rxId, detail: `preview of ${doc.rxNumber}` });
  const preview = { ...doc, duplicate: null, preview: true };
  return ctx.jobs.start('prescriptions.preview', async (control) => {
    control.progress(0, 1, 'Preparing the preview…');
    const pdf = await renderPrescriptionPdf(preview, settings);
    return { rxNumber: doc.rxNumber, fileName: `preview-${doc.rxNumber.replace(/\//g, '-')}.pdf`, pdfBase64: pdf.toString('base64'), paper: settings.paper };
  });
}
