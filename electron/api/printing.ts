import { z } from 'zod';
import { prescriptionPdf, previewPrescription, printPrescription } from '../services/prescription-print';
import { printLanguageFor } from '../services/print-language';
import { requireOwnVisit } from '../services/prescriptions';
import { getPrintSettings, setPrintSettings } from '../services/printing';
import { method } from './contract';
import { id } from './fields';
import { lineText } from './text';

const printOptions = z.object({
  paper: z.enum(['A4', 'A5'], { error: 'Paper must be A4 or A5' }).optional(),
  letterhead: z.boolean().optional(),
  marginTopMm: z.number({ error: 'Top margin must be a number of millimetres' }).min(0).max(120, 'Top margin is at most 120 mm').optional(),
  marginLeftMm: z.number({ error: 'Left margin must be a number of millimetres' }).min(0).max(60, 'Left margin is at most 60 mm').optional(),
  language: z.enum(['en', 'en+hi'], { error: 'Language must be en or en+hi' }).optional(),
});

export const printingMethods = {
  'printers.list': method({
    input: z.object({}).optional(),
    access: 'session',
    mutates: false,
    run: (ctx) => ctx.spooler.list(),
  }),
  'settings.print': method({
    input: z.object({}).optional(),
    access: 'session',
    mutates: false,
    run: (ctx) => getPrintSettings(ctx.sqlite),
  }),
  /** The language a prescription prints in when the print names none: the patient's, else this desk's setting. */
  'prescriptions.printLanguage': method({
    input: z.object({ visitId: id('Visit') }),
    access: 'consultations.write',
    mutates: false,
    run: (ctx, input) => {
      requireOwnVisit(ctx, input.visitId);
      return printLanguageFor(ctx, input.visitId);
    },
  }),
  /** This workstation's printer and pad settings (a doctor sets up their own desk's printer). */
  'settings.setPrint': method({
    input: printOptions.extend({ printer: lineText('Printer').max(120).nullable().optional() }),
    access: 'session',
    mutates: true,
    run: (ctx, input) => {
      ctx.describe({ entityType: 'workstation', entityId: ctx.deviceId, detail: `print settings ${JSON.stringify(input)}` });
      return setPrintSettings(ctx.sqlite, input);
    },
  }),
  /** Prints in the background (returns the job); the first successful print locks the prescription. */
  'prescriptions.print': method({
    input: z.object({ visitId: id('Visit'), printer: lineText('Printer').max(120).nullable().optional(), options: printOptions.optional() }),
    access: 'consultations.write',
    mutates: true,
    run: (ctx, input) => printPrescription(ctx, input),
  }),
  /** "Save as PDF": a background job whose result carries the PDF (base64); counts as a print. */
  'prescriptions.pdf': method({
    input: z.object({ visitId: id('Visit'), options: printOptions.optional() }),
    access: 'consultations.write',
    mutates: true,
    run: (ctx, input) => prescriptionPdf(ctx, input),
  }),
  /** The same PDF watermarked PREVIEW, to look at before printing: locks nothing, audited as a read. */
  'prescriptions.preview': method({
    input: z.object({ visitId: id('Visit'), options: printOptions.optional() }),
    access: 'consultations.write',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => previewPrescription(ctx, input),
  }),
};
