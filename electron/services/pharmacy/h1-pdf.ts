import { isNull } from 'drizzle-orm';
import { facility } from '../../../db/schema';
import { renderH1RegisterPdf } from '../../pdf/h1-register';
import { h1Between } from './lists';
import type { Ctx } from './stock';

/** The Schedule H1 register of a date range as a PDF for inspection, made in a job (bytes via jobs.document); audited with the range and the count. */
export function h1RegisterPdf(ctx: Ctx, from: string, to: string) {
  const rows = h1Between(ctx, from, to);
  const f = ctx.db.select().from(facility).where(isNull(facility.deletedAt)).get();
  const extraLines = [f?.letterhead.gstin ? `GSTIN: ${f.letterhead.gstin}` : null, f?.hfrId ? `HFR ID: ${f.hfrId}` : null].filter((l): l is string => l !== null);
  ctx.describe({ entityType: 'h1_register', detail: `Schedule H1 register PDF ${from} to ${to}, ${rows.length} ${rows.length === 1 ? 'entry' : 'entries'}` });
  const doc = { clinic: { name: f?.name ?? 'Clinic', address: f?.address ?? '', phone: f?.phone ?? '', logo: f?.letterhead.logo ?? null, extraLines }, range: { from, to }, rows };
  return ctx.jobs.start('pharmacy.h1RegisterPdf', async (control) => {
    control.progress(0, 1, 'Preparing the H1 register…');
    const pdf = await renderH1RegisterPdf(doc);
    return { fileName: `H1-register-${from}-to-${to}.pdf`, pdfBase64: pdf.toString('base64') };
  });
}
