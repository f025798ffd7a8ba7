import { z } from 'zod';
import {
  MAX_RANGE_DAYS,
  REPORT_NAMES,
  censusReport,
  daysIn,
  diagnosesReport,
  followUpsReport,
  refundsDiscountsReport,
  reportCsv,
  revenueReport,
  visitTypesReport,
  type ReportRange,
} from '../services/reports';
import { gstr1Export } from '../services/gst';
import { gstSummaryPdf } from '../services/gst/summary-pdf';
import type { ServiceContext } from './contract';
import { method } from './contract';
import { isoDate } from './fields';
import { lineText } from './text';

/** From and to (both included), at most a year and a day apart. */
const range = z
  .object({ from: isoDate('From'), to: isoDate('To') })
  .refine((r) => r.from <= r.to, { error: 'To must be on or after From', path: ['to'] })
  .refine((r) => r.from > r.to || daysIn(r) <= MAX_RANGE_DAYS, { error: `A report covers at most ${MAX_RANGE_DAYS} days`, path: ['to'] });

/** The GST export's period: a month ("2026-11"), or From and To (a part of a month, or a quarter). */
const gstPeriod = z
  .object({
    month: lineText('Month').regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Month must be YYYY-MM').optional(),
    from: isoDate('From').optional(),
    to: isoDate('To').optional(),
  })
  .superRefine((v, c) => {
    if (v.month !== undefined) {
      if (v.from !== undefined || v.to !== undefined) c.addIssue({ code: 'custom', path: ['month'], message: 'Give a month, or From and To, not both' });
      return;
    }
    if (v.from === undefined) c.addIssue({ code: 'custom', path: ['from'], message: 'From is required (or give a month)' });
    if (v.to === undefined) c.addIssue({ code: 'custom', path: ['to'], message: 'To is required (or give a month)' });
    if (v.from === undefined || v.to === undefined) return;
    if (v.from > v.to) c.addIssue({ code: 'custom', path: ['to'], message: 'To must be on or after From' });
    else if (daysIn({ from: v.from, to: v.to }) > MAX_RANGE_DAYS) c.addIssue({ code: 'custom', path: ['to'], message: `An export covers at most ${MAX_RANGE_DAYS} days` });
  })
  .transform((v) => (v.month !== undefined ? { month: v.month } : { from: v.from ?? '', to: v.to ?? '' }));

const windowDays = z.number({ error: 'Window must be a number of days' }).int('Window must be whole days').min(0, 'Window cannot be negative').max(60, 'Window is at most 60 days').optional();

/** Every reading of a report is audited: it shows the clinic's money and patients' diagnoses in bulk. */
function audited(ctx: ServiceContext, what: string, r: ReportRange) {
  ctx.describe({ entityType: 'reports', detail: `${what} ${r.from} to ${r.to}` });
}

const read = <O>(what: string, run: (ctx: ServiceContext, r: ReportRange) => O) =>
  method({
    input: range,
    access: 'reports.read',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => {
      audited(ctx, what, input);
      return run(ctx, input);
    },
  });

export const reportMethods = {
  /** OPD census: visits per day and per doctor. */
  'reports.census': read('OPD census', (ctx, r) => censusReport(ctx.sqlite, r)),
  /** New vs follow-up visits per day (new: the patient's first visit to the clinic). */
  'reports.visitTypes': read('new and follow-up visits', (ctx, r) => visitTypesReport(ctx.sqlite, r)),
  /** Money by mode (collected, refunded), billed by service and by doctor. */
  'reports.revenue': read('revenue', (ctx, r) => revenueReport(ctx.sqlite, r)),
  'reports.refundsDiscounts': read('refunds and discounts', (ctx, r) => refundsDiscountsReport(ctx.sqlite, r)),
  /** The most frequent ICD-10 diagnoses of completed consultations. */
  'reports.diagnoses': method({
    input: range.and(z.object({ limit: z.number({ error: 'Limit must be a number' }).int('Limit must be whole').min(1, 'Limit is at least 1').max(100, 'Limit is at most 100').optional() })),
    access: 'reports.read',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => {
      audited(ctx, 'top diagnoses', input);
      return diagnosesReport(ctx.sqlite, input, input.limit);
    },
  }),
  /** Follow-ups due in the range: kept (back within the window), missed, still pending. */
  'reports.followUps': method({
    input: range.and(z.object({ windowDays })),
    access: 'reports.read',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => {
      audited(ctx, 'follow-ups kept and missed', input);
      return followUpsReport(ctx.sqlite, input, ctx.today(), input.windowDays);
    },
  }),
  /** One report as CSV text (the screen saves it as a file); the export is audited. */
  'reports.csv': method({
    input: range.and(z.object({ report: z.enum(REPORT_NAMES, { error: `Report must be one of: ${REPORT_NAMES.join(', ')}` }) })),
    access: 'reports.read',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => {
      audited(ctx, `CSV export of ${input.report}`, input);
      return reportCsv(ctx.sqlite, input.report, input, ctx.today());
    },
  }),
  /**
   * GSTR-1 for the accountant (a month or a range of days): the GSTN offline tool's JSON, the same
   * figures as CSV, and the section totals; refused while the clinic has no GSTIN. Audited.
   */
  'reports.gstr1': method({
    input: gstPeriod,
    access: 'reports.read',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => gstr1Export(ctx, input),
  }),
  /** The one-page GSTR-1 summary PDF (a background job; the bytes come with jobs.document). Audited. */
  'reports.gstSummaryPdf': method({
    input: gstPeriod,
    access: 'reports.read',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => gstSummaryPdf(ctx, input),
  }),
};
