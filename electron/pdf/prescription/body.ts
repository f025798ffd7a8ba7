import { doctorTitle, formatDate } from '../format';
import { lineRows, type FlowBlock, type FlowRow } from '../flow';
import { ACCENT } from '../letterhead';
import { drawLine, layout, linesHeight, type Doc, type Run } from '../text';
import { dosageParts, dosagePartsHi, itemTitleRuns, partsRuns } from './dosage';
import { MUTED, STAMP, type Geometry } from './geometry';
import type { PrescriptionDoc } from './types';

/** Allergies, vitals, diagnosis, the Rx items, investigations, advice, diet and follow-up, in the order the doctor reads them. */
export function contentBlocks(doc: Doc, g: Geometry, rx: PrescriptionDoc, hindi: boolean): FlowBlock[] {
  const s = g.scale;
  const x = g.left;
  const w = g.contentWidth;
  const body = 10 * s;
  const blocks: FlowBlock[] = [];
  const labelled = (label: string, text: string, before: number): FlowBlock => {
    const lines = layout(
      doc,
      [
        { text: `${label}: `, size: body, style: 'bold', color: ACCENT },
        { text: text.trim(), size: body },
      ],
      w,
    );
    return { rows: lineRows(doc, lines, x), before, keepTogether: true };
  };

  // What the pharmacist checks before dispensing: the allergies, then the vitals the doses were chosen on.
  if (rx.allergies) {
    const runs: Run[] = [{ text: 'Allergies: ', size: body, style: 'bold', color: rx.allergies.length > 0 ? STAMP : ACCENT }];
    runs.push(
      ...(rx.allergies.length > 0
        ? partsRuns(rx.allergies.map((a) => a.trim()).filter((a) => a !== ''), ', ', body).map((r) => ({ ...r, style: 'bold' as const }))
        : [{ text: 'No known allergies', size: body }]),
    );
    blocks.push({ rows: lineRows(doc, layout(doc, runs, w), x), before: 0, keepTogether: true });
  }
  const vitals = (rx.vitals ?? []).map((v) => v.trim()).filter((v) => v !== '');
  if (vitals.length > 0) {
    const runs: Run[] = [{ text: 'Vitals: ', size: body, style: 'bold', color: ACCENT }, ...partsRuns(vitals, ' · ', body)];
    blocks.push({ rows: lineRows(doc, layout(doc, runs, w), x), before: blocks.length > 0 ? 3 * s : 0, keepTogether: true });
  }

  // Diagnosis first (as the doctor writes it), then the drugs.
  const diagnoses = rx.diagnoses.map((d) => d.trim()).filter((d) => d !== '');
  if (diagnoses.length > 0) blocks.push(labelled(diagnoses.length > 1 ? 'Diagnoses' : 'Diagnosis', diagnoses.join('; '), blocks.length > 0 ? 3 * s : 0));

  blocks.push(...itemBlocks(doc, g, rx, hindi));

  const gap = 9 * s;
  if (rx.investigations?.trim()) blocks.push(labelled('Investigations', rx.investigations, gap + 2 * s));
  if (rx.advice?.trim() || (hindi && rx.adviceHi?.trim())) {
    const rows: FlowRow[] = [];
    const runs: Run[] = [{ text: 'Advice: ', size: body, style: 'bold', color: ACCENT }];
    if (rx.advice?.trim()) runs.push({ text: rx.advice.trim(), size: body });
    rows.push(...lineRows(doc, layout(doc, runs, w), x));
    if (hindi && rx.adviceHi?.trim()) rows.push(...lineRows(doc, layout(doc, [{ text: rx.adviceHi.trim(), size: body }], w), x));
    blocks.push({ rows, before: gap, keepTogether: true });
  }
  if (rx.diet?.trim()) blocks.push(labelled('Diet', rx.diet, gap));
  if (rx.followUpDate?.trim()) {
    const rows = lineRows(
      doc,
      layout(
        doc,
        [
          { text: 'Follow-up: ', size: body, style: 'bold', color: ACCENT },
          { text: formatDate(rx.followUpDate), size: body, style: 'bold' },
          ...(hindi ? [{ text: `   (${formatDate(rx.followUpDate)} को दोबारा दिखाएँ)`, size: body }] : []),
        ],
        w,
      ),
      x,
    );
    blocks.push({ rows, before: gap, keepTogether: true });
  }
  return blocks;
}

/** QR code on the left, signature block on the right, kept together at the end. */
export function signatureBlock(doc: Doc, g: Geometry, rx: PrescriptionDoc, qrPng: Buffer): FlowBlock {
  const s = g.scale;
  const x = g.left;
  const w = g.contentWidth;
  const body = 10 * s;
  const small = 8.5 * s;
  const qrSize = 64 * s;
  const sigWidth = Math.min(200 * s, w * 0.5);
  const sigSpace = 26 * s;
  const sigRuns: Run[][] = (
    [
      [{ text: doctorTitle(rx.doctor.name), size: body, style: 'bold' }],
      [{ text: rx.doctor.qualifications.trim(), size: small }],
      [{ text: `Reg. No. ${rx.doctor.registrationNumber.trim()}`, size: small }],
      [{ text: rx.doctor.registrationCouncil.trim(), size: small, color: MUTED }],
    ] satisfies Run[][]
  ).filter((r) => (r[0]?.text ?? '') !== '');
  const sigLines = sigRuns.flatMap((runs) => layout(doc, runs, sigWidth));
  const captionLines = layout(doc, [{ text: 'Scan to verify', size: 6.5 * s, color: MUTED }], qrSize + 40 * s);
  const qrBlockHeight = qrSize + 2 * s + linesHeight(captionLines);
  const sigHeight = sigSpace + 3 * s + linesHeight(sigLines);
  return {
    before: 10 * s,
    keepTogether: true,
    keepWithPrevious: true,
    rows: [
      {
        height: Math.max(qrBlockHeight, sigHeight),
        draw: (top) => {
          doc.image(qrPng, x, top, { width: qrSize, height: qrSize });
          let cy = top + qrSize + 2 * s;
          for (const line of captionLines) cy = drawLine(doc, line, x, cy);
          const sx = x + w - sigWidth;
          const lineY = top + sigSpace;
          doc.save().moveTo(sx, lineY).lineTo(x + w, lineY).lineWidth(0.7).strokeColor('#000000').stroke().restore();
          let sy = lineY + 3 * s;
          for (const line of sigLines) sy = drawLine(doc, line, sx, sy, sigWidth, 'center');
        },
      },
    ],
  };
}

/** Rx and the items, one block each; the heading stays with the first item. */
function itemBlocks(doc: Doc, g: Geometry, rx: PrescriptionDoc, hindi: boolean): FlowBlock[] {
  const s = g.scale;
  const x = g.left;
  const w = g.contentWidth;
  const body = 10 * s;
  const blocks: FlowBlock[] = [];
  const rxLines = layout(doc, [{ text: 'Rx', size: 16 * s, style: 'bold', color: ACCENT }], w);
  const numberWidth = 20 * s;
  const itemX = x + numberWidth;
  const itemWidth = w - numberWidth;
  rx.items.forEach((item, index) => {
    const rows: FlowRow[] = [];
    if (index === 0) rows.push(...lineRows(doc, rxLines, x));
    const title = layout(doc, itemTitleRuns(item, 11 * s), itemWidth);
    const number = layout(doc, [{ text: `${index + 1}.`, size: 11 * s, style: 'bold' }], numberWidth);
    title.forEach((line, i) => {
      rows.push({
        height: line.height,
        draw: (top) => {
          drawLine(doc, line, itemX, top);
          const n = number[0];
          if (i === 0 && n) drawLine(doc, n, x, top + line.ascent - n.ascent);
        },
      });
    });
    rows.push(...lineRows(doc, layout(doc, partsRuns(dosageParts(item), ' · ', body), itemWidth), itemX));
    if (item.instructions?.trim()) {
      rows.push(...lineRows(doc, layout(doc, [{ text: item.instructions.trim(), size: body, color: MUTED }], itemWidth), itemX));
    }
    if (hindi) {
      const hiParts = dosagePartsHi(item);
      if (hiParts.length > 0) rows.push(...lineRows(doc, layout(doc, partsRuns(hiParts, ', ', body), itemWidth), itemX));
      if (item.instructionsHi?.trim()) {
        rows.push(...lineRows(doc, layout(doc, [{ text: item.instructionsHi.trim(), size: body, color: MUTED }], itemWidth), itemX));
      }
    }
    blocks.push({ rows, before: (index === 0 ? 8 : 6) * s, keepTogether: true });
  });
  if (rx.items.length === 0) blocks.push({ rows: lineRows(doc, rxLines, x), before: 8 * s, keepTogether: true });
  return blocks;
}
