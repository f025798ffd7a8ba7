import { isNull } from 'drizzle-orm';
import { facility } from '../../../db/schema';
import type { AuthedContext } from '../../core/context';
import { renderGstSummaryPdf } from '../../pdf/gst-summary';
import { fileStem, rangeOf, type GstPeriodInput } from './index';
import { gstr1Figures } from './figures';

/** The one-page GSTR-1 summary as a PDF, made in a job; the bytes are fetched with jobs.document. */
export function gstSummaryPdf(ctx: AuthedContext, input: GstPeriodInput) {
  const range = rangeOf(input);
  const figures = gstr1Figures(ctx.db, ctx.sqlite, range);
  const f = ctx.db.select().from(facility).where(isNull(facility.deletedAt)).get();
  ctx.describe({ entityType: 'reports', detail: `GSTR-1 summary PDF ${range.from} to ${range.to}, GSTIN ${figures.clinic.gstin}, period ${figures.period}` });
  const doc = { ...figures, clinic: { ...figures.clinic, address: f?.address ?? '', phone: f?.phone ?? '', logo: f?.letterhead.logo ?? null } };
  const fileName = `${fileStem(figures)}-summary.pdf`;
  return ctx.jobs.start('reports.gstSummaryPdf', async (control) => {
    control.progress(0, 1, 'Preparing the GST summary…');
    const pdf = await renderGstSummaryPdf(doc);
    return { fileName, period: figures.period, pdfBase64: pdf.toString('base64') };
  });
}
