import { counterPostersPdf } from '../pdf/counter-poster';
import { readSyncSettings } from '../sync/state';
import { ApiFailure, type AuthedContext } from '../core/context';
import { getFacility } from './facility';

/**
 * Scan & Share posters for the clinic's counters (electron/pdf/counter-poster.ts): the counters
 * named, else one for this desk (its name from enrolment, "Reception" before it joined a server).
 * Made in a job; the PDF is fetched with jobs.document.
 */
export function counterPosters(ctx: AuthedContext, input: { counters?: string[] | undefined }) {
  const facility = getFacility(ctx);
  if (!facility.hfrId) throw new ApiFailure('conflict', 'Enter the facility’s HFR ID first (Facility screen, ABDM Health Facility Registry): the QR code carries it.', { 'facility.hfrId': 'Needed for the QR code' });
  const counters = input.counters?.length ? input.counters : [readSyncSettings(ctx.sqlite).deviceName ?? 'Reception'];
  const poster = { facilityName: facility.name, hfrId: facility.hfrId, counters, date: ctx.today() };
  ctx.describe({ entityType: 'facility', entityId: facility.id, detail: `Scan & Share posters: ${counters.join(', ')}` });
  // A job, as every PDF: pdfkit writes asynchronously; the bytes come with jobs.document.
  return ctx.jobs.start('scanshare.counterPosters', async (control) => {
    control.progress(0, 1, 'Preparing the posters…');
    const pdf = await counterPostersPdf(poster);
    return { fileName: `scan-share-posters-${poster.date}.pdf`, pdfBase64: pdf.toString('base64') };
  });
}
