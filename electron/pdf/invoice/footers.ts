import { drawFooters, drawStamp, STAMP_RED, type PageGeometry } from '../counter-page';
import type { PageFlow } from '../flow';
import { formatDate } from '../format';
import type { Doc } from '../text';
import type { InvoiceDoc } from './types';
import { numberOf } from './common';

/* Every page's footer, and the VOID / DUPLICATE stamps across the content. */

export function drawInvoiceFooters(doc: Doc, g: PageGeometry, d: InvoiceDoc, flow: PageFlow): void {
  const num = numberOf(d);
  const duplicate = d.duplicate ?? null;
  const voided = d.kind === 'invoice' && d.void ? d.void : null;
  const dupText = duplicate
    ? `DUPLICATE — reprinted on ${formatDate(duplicate.printedOn)}${duplicate.copy && duplicate.copy > 1 ? ` (copy ${duplicate.copy})` : ''}`
    : null;
  drawFooters(doc, g, {
    left: `${num.label} ${num.value} · ${formatDate(d.date)}`,
    note: dupText ? { text: dupText, color: STAMP_RED } : null,
    stamp: (page) => {
      // Across the content: on a last page that is mostly empty, over what is printed on it.
      const centreY = page === flow.pages ? Math.min(g.height / 2, Math.max(g.height * 0.32, (flow.top + flow.y) / 2)) : g.height / 2;
      if (voided) {
        drawStamp(doc, g, 'VOID', voided.on ? `Cancelled on ${formatDate(voided.on)}` : 'Cancelled', { opacity: 0.3, centreY });
        // Both: the reprint stamp goes lower, clear of VOID.
        if (duplicate) drawStamp(doc, g, 'DUPLICATE', null, { size: g.width > 500 ? 44 : 32, centreY: Math.min(g.height * 0.78, centreY + g.height * 0.3) });
      } else if (duplicate) {
        drawStamp(doc, g, 'DUPLICATE', `Reprinted on ${formatDate(duplicate.printedOn)}`, { centreY });
      }
    },
  });
}
