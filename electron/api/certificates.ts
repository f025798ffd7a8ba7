import { z } from 'zod';
import { CERTIFICATE_KINDS, CERTIFICATE_LANGUAGES } from '../../db/schema';
import { certificateDraft, certificatePdf, issueCertificate, listCertificates, printCertificate, voidCertificate } from '../services/certificates';
import { method } from './contract';
import { id, isoDate, optionalLongText, optionalText, requiredText } from './fields';
import { lineText } from './text';

const pdfOptions = z.object({
  paper: z.enum(['A4', 'A5'], { error: 'Paper must be A4 or A5' }).optional(),
  letterhead: z.boolean().optional(),
  marginTopMm: z.number({ error: 'Top margin must be a number of millimetres' }).min(0).max(120, 'Top margin is at most 120 mm').optional(),
  marginLeftMm: z.number({ error: 'Left margin must be a number of millimetres' }).min(0).max(60, 'Left margin is at most 60 mm').optional(),
  language: z.enum(CERTIFICATE_LANGUAGES, { error: 'Language must be en or en+hi' }).optional(),
});

/** Medical and fitness certificates (electron/services/certificates.ts): the visit's doctor issues and voids; reception reprints. */
export const certificateMethods = {
  /** What the certificate dialog starts from: the visit's diagnoses, the print language, certificates already issued. */
  'certificates.draft': method({
    input: z.object({ visitId: id('Visit') }),
    access: 'consultations.write',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => certificateDraft(ctx, input.visitId),
  }),
  'certificates.issue': method({
    input: z.object({
      visitId: id('Visit'),
      kind: z.enum(CERTIFICATE_KINDS, { error: 'Kind must be medical_leave or fitness' }),
      diagnosis: requiredText('Diagnosis', 300),
      restFrom: isoDate('Rest from').nullish(),
      restTo: isoDate('Rest to').nullish(),
      fitFrom: isoDate('Fit from').nullish(),
      purpose: optionalText('Fit for', 120),
      remarks: optionalLongText('Remarks', 600),
      language: z.enum(CERTIFICATE_LANGUAGES, { error: 'Language must be en or en+hi' }).nullish(),
    }),
    access: 'consultations.write',
    mutates: true,
    run: (ctx, input) => issueCertificate(ctx, input),
  }),
  'certificates.void': method({
    input: z.object({ id: id('Certificate'), reason: requiredText('Reason', 300) }),
    access: 'consultations.write',
    mutates: true,
    run: (ctx, input) => voidCertificate(ctx, input),
  }),
  'certificates.list': method({
    input: z.object({ patientId: id('Patient') }),
    access: 'certificates.read',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => listCertificates(ctx, input.patientId),
  }),
  /** The PDF as a job (jobs.document fetches it): the doctor's print, or reception's copy. Audited. */
  'certificates.pdf': method({
    input: z.object({ id: id('Certificate'), options: pdfOptions.optional() }),
    access: 'certificates.read',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => certificatePdf(ctx, input),
  }),
  /** Prints in the background (returns the job) on this desk's printer or the one named; audited. */
  'certificates.print': method({
    input: z.object({ id: id('Certificate'), printer: lineText('Printer').max(120).nullable().optional(), options: pdfOptions.optional() }),
    access: 'certificates.read',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => printCertificate(ctx, input),
  }),
};
