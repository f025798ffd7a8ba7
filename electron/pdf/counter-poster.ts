import QRCode from 'qrcode';
import { counterCode, scanShareUrl } from '../../shared/abdm-shares';
import { openDocument } from './counter-page';
import { FONT } from './fonts';
import { mm } from './format';

/**
 * A printable A4 poster per counter for ABDM Scan & Share: the facility's name, the counter, a QR
 * code of ABDM's share-profile link for the facility's HFR id and the counter (shared/abdm-shares.ts),
 * and what to do, in English and Hindi. The QR is drawn as vector squares from the `qrcode`
 * package's matrix (error correction M, the 4-module quiet zone), so it prints sharp at any size.
 */
export interface PosterInput {
  facilityName: string;
  hfrId: string;
  counters: string[];
  /** The document's date (YYYY-MM-DD): the PDF's bytes depend only on its content. */
  date: string;
}

const A4 = { width: 595.28, height: 841.89 };

export async function counterPostersPdf(input: PosterInput): Promise<Buffer> {
  const { doc, done } = openDocument(A4, { title: `Scan & Share posters: ${input.facilityName}`, author: input.facilityName, date: input.date });
  for (const counter of input.counters) {
    doc.addPage({ size: [A4.width, A4.height], margin: 0 });
    const left = mm(20);
    const width = A4.width - 2 * left;
    doc.font(FONT.bold).fontSize(26).fillColor('#000').text(input.facilityName, left, mm(25), { width, align: 'center' });
    doc.font(FONT.regular).fontSize(18).text(`Counter: ${counter}`, left, doc.y + mm(4), { width, align: 'center' });
    doc.font(FONT.bold).fontSize(22).text('Scan & Share your ABHA profile', left, doc.y + mm(8), { width, align: 'center' });
    const url = scanShareUrl(input.hfrId, counter);
    const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
    const quiet = 4;
    const side = mm(110);
    const cell = side / (qr.modules.size + 2 * quiet);
    const x0 = (A4.width - side) / 2;
    const y0 = doc.y + mm(8);
    for (let r = 0; r < qr.modules.size; r++) {
      for (let c = 0; c < qr.modules.size; c++) {
        if (qr.modules.get(r, c)) doc.rect(x0 + (c + quiet) * cell, y0 + (r + quiet) * cell, cell, cell);
      }
    }
    doc.fill('#000');
    let y = y0 + side + mm(6);
    const lines = [
      'Open the ABHA app (or any ABDM PHR app) and scan this code.',
      'Share your profile: you get a token number on your phone.',
      'Show the token at this counter: no form to fill.',
    ];
    doc.font(FONT.regular).fontSize(14);
    for (const line of lines) {
      doc.text(line, left, y, { width, align: 'center' });
      y = doc.y + mm(2);
    }
    doc.font(FONT.devanagari).fontSize(14).text('ABHA ऐप से यह कोड स्कैन करें, अपनी प्रोफ़ाइल साझा करें और टोकन नंबर काउंटर पर दिखाएँ।', left, y + mm(3), { width, align: 'center' });
    doc.font(FONT.regular).fontSize(9).fillColor('#555').text(`HFR ID ${input.hfrId} · counter code ${counterCode(counter)}`, left, A4.height - mm(20), { width, align: 'center' });
  }
  doc.end();
  return done;
}
