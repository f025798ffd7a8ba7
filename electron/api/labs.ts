import { z } from 'zod';
import { cancelLabOrder, collectSample, labDay, listLabTests, orderLabTests, recordLabResult, verifyLabOrder } from '../services/labs';
import { labReportPdf, printLabReport, sampleLabelPdf } from '../services/lab-report';
import { method } from './contract';
import { id, isoDate, optionalText, requiredText } from './fields';
import { lineText } from './text';

const reportOptions = z.object({
  paper: z.enum(['A4', 'A5'], { error: 'Paper must be A4 or A5' }).optional(),
  letterhead: z.boolean().optional(),
});

/** The lab from order to printed report (electron/services/labs.ts, docs/LAB.md). */
export const labMethods = {
  'labs.tests': method({
    input: z.object({}).optional(),
    access: 'clinical.read',
    mutates: false,
    run: (ctx) => listLabTests(ctx),
  }),
  'labs.order': method({
    input: z.object({ visitId: id('Visit'), testIds: z.array(id('Lab test')).min(1, 'Choose at least one test').max(30) }),
    access: 'consultations.write',
    mutates: true,
    run: (ctx, input) => orderLabTests(ctx, input),
  }),
  /** The day's orders with their step (ordered, collected, resulted, verified, cancelled). */
  'labs.pending': method({
    input: z.object({ date: isoDate('Date').nullish() }).optional(),
    access: 'labs.work',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => labDay(ctx, { date: input?.date }),
  }),
  'labs.collect': method({
    input: z.object({ orderId: id('Lab order') }),
    access: 'labs.work',
    mutates: true,
    run: (ctx, input) => collectSample(ctx, input),
  }),
  'labs.recordResult': method({
    input: z.object({
      orderId: id('Lab order'),
      // Empty with an outside lab's report: "See attached report".
      value: optionalText('Result', 200).transform((v) => v ?? ''),
      unit: optionalText('Unit', 30),
      referenceRange: optionalText('Reference range', 60),
      abnormal: z.boolean().optional(),
      reason: optionalText('Reason', 300),
      attachmentId: id('Outside lab report').nullish(),
    }),
    access: 'labs.work',
    mutates: true,
    run: (ctx, input) => recordLabResult(ctx, input),
  }),
  'labs.verify': method({
    input: z.object({ orderId: id('Lab order') }),
    access: 'labs.verify',
    mutates: true,
    run: (ctx, input) => verifyLabOrder(ctx, input),
  }),
  'labs.cancel': method({
    input: z.object({ orderId: id('Lab order'), reason: requiredText('Reason', 300) }),
    access: 'labs.work',
    mutates: true,
    run: (ctx, input) => cancelLabOrder(ctx, input),
  }),
  /** The sample's label as a PDF job (jobs.document fetches it). */
  'labs.label': method({
    input: z.object({ orderId: id('Lab order') }),
    access: 'labs.work',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => sampleLabelPdf(ctx, input),
  }),
  /** The visit's lab report as a PDF job; marks its verified results printed. Audited. */
  'labs.report': method({
    input: z.object({ visitId: id('Visit'), options: reportOptions.optional() }),
    access: 'labs.work',
    mutates: true,
    auditReads: true,
    run: (ctx, input) => labReportPdf(ctx, input),
  }),
  /** Prints the report on this desk's printer (or the one named) in the background. Audited. */
  'labs.printReport': method({
    input: z.object({ visitId: id('Visit'), printer: lineText('Printer').max(120).nullable().optional(), options: reportOptions.optional() }),
    access: 'labs.work',
    mutates: true,
    auditReads: true,
    run: (ctx, input) => printLabReport(ctx, input),
  }),
};
