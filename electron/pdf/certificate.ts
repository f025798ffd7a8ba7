/**
 * A medical (rest advised) or fitness certificate, as a PDF from plain data: the letterhead (or a
 * pad's blank top), title, number and date, the patient, the certifying paragraph in the wording of
 * the form in Appendix 3 of the Indian Medical Council (Professional Conduct, Etiquette and Ethics)
 * Regulations 2002 (still applied by the NMC and the State Medical Councils), remarks, the patient's
 * signature and identification mark (reg. 1.3.3), and the doctor's signature block with the
 * registration number (reg. 1.4.2). English, or English with the same paragraph in Hindi.
 * Pure: no database, no clock (dated with the certificate's date, so the same input gives the same bytes).
 */
import { doctorTitle, formatDate } from './format';
import { lineRows, PageFlow, spacer, type FlowBlock } from './flow';
import { ACCENT, drawLetterhead, type LetterheadClinic, type LetterheadDoctor } from './letterhead';
import { drawLine, layout, linesHeight, type Doc, type Run } from './text';
import { openDocument } from './counter-page';
import { geometry, MUTED, RULE, SEX, type Geometry } from './prescription/geometry';
import type { PrescriptionPatient, PrescriptionPdfOptions } from './prescription/types';

export interface CertificateDoc {
  clinic: Omit<LetterheadClinic, 'extraLines'>;
  doctor: LetterheadDoctor;
  patient: Pick<PrescriptionPatient, 'name' | 'age' | 'sex' | 'mrn' | 'address'>;
  number: string;
  kind: 'medical_leave' | 'fitness';
  /** YYYY-MM-DD the certificate was issued (and examined). */
  date: string;
  diagnosis: string;
  restFrom?: string | null;
  restTo?: string | null;
  /** Days of rest, both ends counted. */
  days?: number | null;
  fitFrom?: string | null;
  purpose?: string | null;
  remarks?: string | null;
}

export type CertificatePdfOptions = PrescriptionPdfOptions;

const TITLE = { medical_leave: 'MEDICAL CERTIFICATE', fitness: 'CERTIFICATE OF FITNESS' } as const;
const TITLE_HI = { medical_leave: 'चिकित्सा प्रमाण-पत्र', fitness: 'स्वस्थता प्रमाण-पत्र' } as const;

const pronoun = (sex: string) => (sex === 'F' ? { he: 'she', his: 'her' } : sex === 'M' ? { he: 'he', his: 'his' } : { he: 'they', his: 'their' });
const honorific = (sex: string) => (sex === 'F' ? 'Ms. ' : sex === 'M' ? 'Mr. ' : '');

/** The certifying paragraph in English, as runs (names, dates and the diagnosis in bold). */
export function englishParagraph(c: CertificateDoc, size: number): Run[] {
  const b = (text: string): Run => ({ text, size, style: 'bold' });
  const t = (text: string): Run => ({ text, size });
  const p = pronoun(c.patient.sex);
  const who = [t(`I, `), b(doctorTitle(c.doctor.name)), t(` (Reg. No. ${c.doctor.registrationNumber.trim()}, ${c.doctor.registrationCouncil.trim()}), after careful examination of the case, hereby certify that ${honorific(c.patient.sex)}`), b(c.patient.name.trim()), t(`, aged ${c.patient.age} years, `)];
  if (c.kind === 'medical_leave') {
    const days = c.days ?? 0;
    return [
      ...who,
      t('is suffering from '),
      b(c.diagnosis.trim()),
      t(` and I consider that a period of absence from duty/school of `),
      b(`${days} day${days === 1 ? '' : 's'}`),
      t(', from '),
      b(formatDate(c.restFrom ?? '')),
      t(' to '),
      b(formatDate(c.restTo ?? '')),
      t(` (both days inclusive), is necessary for the restoration of ${p.his} health.`),
    ];
  }
  return [
    ...who,
    t(`was under my treatment for `),
    b(c.diagnosis.trim()),
    t(` and has recovered sufficiently; ${p.he} ${p.he === 'they' ? 'are' : 'is'} now fit for `),
    b((c.purpose ?? '').trim()),
    t(' with effect from '),
    b(formatDate(c.fitFrom ?? '')),
    t('.'),
  ];
}

/** The same paragraph in Hindi (Devanagari font), for a patient or employer who reads Hindi. */
export function hindiParagraph(c: CertificateDoc, size: number): Run[] {
  const t = (text: string): Run => ({ text, size });
  const b = (text: string): Run => ({ text, size, style: 'bold' });
  const head = [t('मैं, '), b(doctorTitle(c.doctor.name)), t(` (पंजीकरण संख्या ${c.doctor.registrationNumber.trim()}), जाँच के बाद प्रमाणित करता/करती हूँ कि `), b(c.patient.name.trim()), t(`, आयु ${c.patient.age} वर्ष, `)];
  if (c.kind === 'medical_leave') {
    return [...head, b(c.diagnosis.trim()), t(' से पीड़ित हैं और स्वास्थ्य-लाभ के लिए '), b(formatDate(c.restFrom ?? '')), t(' से '), b(formatDate(c.restTo ?? '')), t(' तक '), b(`(${c.days ?? 0} दिन)`), t(' आराम आवश्यक है।')];
  }
  return [...head, b(c.diagnosis.trim()), t(' से स्वस्थ हो चुके हैं और '), b(formatDate(c.fitFrom ?? '')), t(' से '), b((c.purpose ?? '').trim()), t(' के लिए स्वस्थ (फ़िट) हैं।')];
}

/** Title, number and date, the patient's line; below the letterhead, drawn once. */
function headerBlock(doc: Doc, g: Geometry, c: CertificateDoc, hindi: boolean): FlowBlock[] {
  const s = g.scale;
  const x = g.left;
  const w = g.contentWidth;
  const small = 8.5 * s;
  const body = 10.5 * s;
  const title: Run[] = [{ text: TITLE[c.kind], size: 15 * s, style: 'bold', color: ACCENT }];
  if (hindi) title.push({ text: `  /  ${TITLE_HI[c.kind]}`, size: 13 * s, style: 'bold', color: ACCENT });
  const numberRuns: Run[] = [
    { text: 'Certificate No.: ', size: small, color: MUTED, keep: true },
    { text: c.number, size: body, style: 'bold', keep: true },
    { text: '    ', size: small, separator: true },
    { text: 'Date: ', size: small, color: MUTED, keep: true },
    { text: formatDate(c.date), size: body, style: 'bold', keep: true },
  ];
  const sex = SEX[c.patient.sex] ?? c.patient.sex;
  const patient: Run[] = [
    { text: 'Patient: ', size: small, color: MUTED },
    { text: c.patient.name.trim(), size: body, style: 'bold' },
    { text: ` (${c.patient.age} y / ${sex})`, size: body, keep: true },
    { text: ' · ', size: small, color: MUTED, separator: true },
    { text: 'MRN: ', size: small, color: MUTED, keep: true },
    { text: c.patient.mrn.trim(), size: small, style: 'bold', keep: true },
  ];
  const address = c.patient.address?.trim();
  const rows = [
    ...lineRows(doc, layout(doc, title, w), x, w, 'center'),
    spacer(6 * s),
    ...lineRows(doc, layout(doc, numberRuns, w), x, w, 'right'),
    spacer(4 * s),
    ...lineRows(doc, layout(doc, patient, w), x),
    ...(address ? lineRows(doc, layout(doc, [{ text: 'Address: ', size: small, color: MUTED }, { text: address, size: small }], w), x) : []),
  ];
  return [{ rows, before: 0, keepTogether: true }];
}

/** The patient's signature and identification mark (kept with the clinic's copy), then the doctor's. */
function signatures(doc: Doc, g: Geometry, c: CertificateDoc): FlowBlock {
  const s = g.scale;
  const x = g.left;
  const w = g.contentWidth;
  const small = 8.5 * s;
  const half = w * 0.45;
  const patientLines = layout(doc, [{ text: "Patient's signature / thumb impression", size: small, color: MUTED }], half);
  const markLines = layout(doc, [{ text: 'Identification mark: ______________________', size: small, color: MUTED }], half);
  const sigLines = [
    [{ text: doctorTitle(c.doctor.name), size: 10 * s, style: 'bold' as const }],
    [{ text: c.doctor.qualifications.trim(), size: small }],
    [{ text: `Reg. No. ${c.doctor.registrationNumber.trim()}`, size: small }],
    [{ text: c.doctor.registrationCouncil.trim(), size: small, color: MUTED }],
  ]
    .filter((r) => r[0]!.text !== '')
    .flatMap((runs) => layout(doc, runs, half));
  const space = 30 * s;
  const height = space + 3 * s + Math.max(linesHeight(sigLines), linesHeight(patientLines) + 8 * s + linesHeight(markLines));
  return {
    before: 24 * s,
    keepTogether: true,
    rows: [
      {
        height,
        draw: (top) => {
          const lineY = top + space;
          doc.save().moveTo(x, lineY).lineTo(x + half, lineY).moveTo(x + w - half, lineY).lineTo(x + w, lineY).lineWidth(0.7).strokeColor('#000000').stroke().restore();
          let py = lineY + 3 * s;
          for (const line of patientLines) py = drawLine(doc, line, x, py, half);
          py += 8 * s;
          for (const line of markLines) py = drawLine(doc, line, x, py, half);
          let sy = lineY + 3 * s;
          for (const line of sigLines) sy = drawLine(doc, line, x + w - half, sy, half, 'center');
        },
      },
    ],
  };
}

export async function renderCertificatePdf(c: CertificateDoc, options: CertificatePdfOptions): Promise<Buffer> {
  const g = geometry(options);
  const s = g.scale;
  const x = g.left;
  const w = g.contentWidth;
  const hindi = options.language === 'en+hi';
  const { doc, done } = openDocument(g, { title: `${c.kind === 'fitness' ? 'Fitness certificate' : 'Medical certificate'} ${c.number}`, author: doctorTitle(c.doctor.name), date: c.date });
  const header = (): number => {
    let y = g.top;
    if (options.letterhead) y = drawLetterhead(doc, { ...c.clinic }, { x, y, width: w, scale: s, doctor: c.doctor });
    return y + 4 * s;
  };
  const pager = new PageFlow(doc, g, g.footerBottom, header);
  pager.newPage();
  const body = 11 * s;
  const para = (runs: Run[], before: number): FlowBlock => ({ rows: lineRows(doc, layout(doc, runs, w, { leading: 1.3 }), x), before });
  const blocks: FlowBlock[] = [...headerBlock(doc, g, c, hindi)];
  blocks.push({ rows: [{ height: 1, draw: (top) => void doc.save().moveTo(x, top).lineTo(x + w, top).lineWidth(0.6).strokeColor(RULE).stroke().restore() }], before: 6 * s });
  blocks.push(para(englishParagraph(c, body), 14 * s));
  if (hindi) blocks.push(para(hindiParagraph(c, body), 10 * s));
  if (c.remarks?.trim()) blocks.push(para([{ text: 'Remarks: ', size: 10 * s, style: 'bold', color: ACCENT }, { text: c.remarks.trim(), size: 10 * s }], 10 * s));
  blocks.push(signatures(doc, g, c));
  pager.placeAll(blocks);
  doc.end();
  return done;
}
