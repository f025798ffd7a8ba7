import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import type { PrescriptionItem } from '../../db/schema/prescriptions';
import { mm } from '../../electron/pdf/format';
import {
  qrPayload,
  renderPrescriptionPdf,
  type PrescriptionDoc,
  type PrescriptionPdfOptions,
} from '../../electron/pdf/prescription';
import { tempDir } from '../helpers/temp';

/** Page 1 (or another page) of some variants is kept as PNG here for a person to look at. */
const PNG_DIR = path.resolve(import.meta.dirname, '..', '..', 'test-results', 'pdf');

// ---------------------------------------------------------------------------------------------
// Fixtures

/** A small PNG (a teal disc with a white cross) for the clinic logo, made without any library. */
function logoPng(size = 96): Buffer {
  const raw = Buffer.alloc((size * 3 + 1) * size);
  for (let y = 0; y < size; y += 1) {
    raw[y * (size * 3 + 1)] = 0;
    for (let x = 0; x < size; x += 1) {
      const dx = x - size / 2 + 0.5;
      const dy = y - size / 2 + 0.5;
      const inDisc = dx * dx + dy * dy < (size / 2 - 2) ** 2;
      const inCross = (Math.abs(dx) < size / 10 || Math.abs(dy) < size / 10) && Math.abs(dx) < size / 3.2 && Math.abs(dy) < size / 3.2;
      const [r, g, b] = inDisc ? (inCross ? [255, 255, 255] : [0, 121, 107]) : [255, 255, 255];
      const o = y * (size * 3 + 1) + 1 + x * 3;
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
    }
  }
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function item(partial: Partial<PrescriptionItem> & Pick<PrescriptionItem, 'genericName' | 'form' | 'frequency'>): PrescriptionItem {
  return {
    drugId: null,
    brand: null,
    strength: null,
    route: 'oral',
    dose: '1 tablet',
    timing: 'after-food',
    durationDays: 5,
    quantity: null,
    instructions: null,
    instructionsHi: null,
    acknowledged: [],
    ...partial,
  };
}

const ITEMS: PrescriptionItem[] = [
  item({
    genericName: 'Paracetamol',
    brand: 'Crocin',
    form: 'tablet',
    strength: '500 mg',
    frequency: '1-0-1',
    timing: 'after-food',
    durationDays: 5,
    quantity: 10,
    instructions: 'Take with a full glass of water.',
    instructionsHi: 'पूरे गिलास पानी के साथ लें।',
  }),
  item({
    genericName: 'Pantoprazole',
    brand: 'Pan 40',
    form: 'tablet',
    strength: '40 mg',
    frequency: '1-0-0',
    timing: 'empty-stomach',
    durationDays: 7,
    quantity: 7,
    instructions: 'Half an hour before breakfast.',
    instructionsHi: 'नाश्ते से आधा घंटा पहले लें।',
  }),
  item({
    genericName: 'Cetirizine',
    brand: 'Okacet',
    form: 'tablet',
    strength: '10 mg',
    frequency: '0-0-1',
    timing: 'bedtime',
    durationDays: 5,
    quantity: 5,
    instructions: 'May cause drowsiness; do not drive after taking it.',
    instructionsHi: 'इससे नींद आ सकती है; लेने के बाद गाड़ी न चलाएँ।',
  }),
  item({
    genericName: 'Mupirocin',
    brand: 'T-Bact',
    form: 'ointment',
    strength: '2%',
    route: 'topical',
    dose: 'thin layer',
    frequency: '1-1-1',
    timing: 'any',
    durationDays: 7,
    quantity: 1,
    instructions: 'Apply on the wound after cleaning it.',
    instructionsHi: 'घाव साफ़ करके लगाएँ।',
  }),
  item({
    genericName: 'Ibuprofen',
    brand: 'Brufen',
    form: 'tablet',
    strength: '400 mg',
    frequency: 'SOS',
    timing: 'after-food',
    durationDays: 3,
    quantity: 6,
    instructions: 'Only for severe pain; not more than 3 in a day.',
    instructionsHi: 'तेज़ दर्द होने पर ही; दिन में 3 से ज़्यादा नहीं।',
  }),
];

const HASH = '9f2c4e7a1b3d5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8';

function prescription(overrides: Partial<PrescriptionDoc> = {}): PrescriptionDoc {
  return {
    clinic: {
      name: 'Sanjeevani Family Clinic',
      address: '12, Shivaji Nagar, Near Bus Stand, Pune, Maharashtra 411005',
      phone: '020 2553 1234, 98220 12345',
      timings: 'Mon-Sat 9 am-1 pm, 5-8 pm; Sunday closed',
      tagline: 'Caring for families since 1998',
      logo: `data:image/png;base64,${logoPng().toString('base64')}`,
    },
    doctor: {
      name: 'Asha Mehta',
      qualifications: 'MBBS, MD (General Medicine)',
      registrationCouncil: 'Maharashtra Medical Council',
      registrationNumber: 'MMC-2012/03/4567',
      specialization: 'Consultant Physician',
    },
    patient: {
      name: 'Ramesh Kumar Patil',
      age: 45,
      sex: 'M',
      mrn: 'A-000123',
      abhaNumber: '91123456789012',
      mobile: '98765 43210',
    },
    rxNumber: 'A/RX/000123',
    date: '2026-11-21',
    diagnoses: ['Acute pharyngitis (J02.9)', 'Infected abrasion, right forearm'],
    items: ITEMS,
    advice: 'Drink plenty of warm fluids. Gargle with warm salt water three times a day.\nRest for two days.',
    adviceHi: 'गुनगुना पानी ज़्यादा पिएँ। दिन में तीन बार गुनगुने नमक वाले पानी से गरारे करें।\nदो दिन आराम करें।',
    diet: 'Soft, bland food; avoid fried and spicy food.',
    investigations: 'CBC, CRP',
    followUpDate: '2026-11-28',
    verification: { hash: HASH },
    duplicate: null,
    ...overrides,
  };
}

const A4_LETTERHEAD_HI: PrescriptionPdfOptions = {
  paper: 'A4',
  letterhead: true,
  marginTopMm: 10,
  marginLeftMm: 12,
  language: 'en+hi',
};
const A5_PAD_EN: PrescriptionPdfOptions = {
  paper: 'A5',
  letterhead: false,
  marginTopMm: 40,
  marginLeftMm: 20,
  language: 'en',
};

function longPrescription(): PrescriptionDoc {
  const names = [
    'Paracetamol', 'Amoxicillin', 'Azithromycin', 'Cetirizine', 'Pantoprazole', 'Metformin', 'Amlodipine',
    'Atorvastatin', 'Telmisartan', 'Levocetirizine', 'Montelukast', 'Ondansetron', 'Domperidone', 'Ranitidine',
    'Vitamin D3', 'Calcium carbonate', 'Folic acid', 'Ferrous sulphate', 'Multivitamin', 'Diclofenac',
    'Ibuprofen', 'Ambroxol', 'Salbutamol', 'Prednisolone', 'Loratadine',
  ];
  const frequencies = ['1-0-1', '1-1-1', '0-0-1', '1-0-0', 'BD', 'SOS', '1-1-1-1'];
  const items = names.map((name, i) =>
    item({
      genericName: name,
      brand: `Brand${i + 1}`,
      form: 'tablet',
      strength: `${(i + 1) * 10} mg`,
      frequency: frequencies[i % frequencies.length] ?? '1-0-1',
      durationDays: 3 + (i % 5),
      quantity: 10 + i,
      instructions: i % 3 === 0 ? 'Take after a meal with water.' : null,
      instructionsHi: i % 3 === 0 ? 'खाने के बाद पानी के साथ लें।' : null,
    }),
  );
  return prescription({ items, rxNumber: 'A/RX/000999' });
}

// ---------------------------------------------------------------------------------------------
// Helpers around poppler-utils

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

function writePdf(pdf: Buffer, name = 'rx.pdf'): string {
  const file = path.join(tempDir('rx-pdf-'), name);
  fs.writeFileSync(file, pdf);
  return file;
}

/** pdftotext -layout, with runs of spaces squeezed so assertions do not depend on column gaps. */
function text(pdf: Buffer, pages?: { first: number; last: number }): string {
  const file = writePdf(pdf);
  const range = pages ? ['-f', String(pages.first), '-l', String(pages.last)] : [];
  return run('pdftotext', ['-layout', ...range, file, '-']).replace(/[ \t]+/g, ' ');
}

function info(pdf: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of run('pdfinfo', ['-isodates', writePdf(pdf)]).split('\n')) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m?.[1] && m[2] !== undefined) out[m[1].trim()] = m[2].trim();
  }
  return out;
}

interface Word {
  text: string;
  page: number;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Every word with its box in points (pdftotext -bbox), to check nothing is off the page or in a margin. */
function words(pdf: Buffer): { pages: { width: number; height: number }[]; words: Word[] } {
  const html = run('pdftotext', ['-bbox', writePdf(pdf), '-']);
  const pages: { width: number; height: number }[] = [];
  const found: Word[] = [];
  const re = /<page width="([\d.]+)" height="([\d.]+)">|<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g;
  for (const m of html.matchAll(re)) {
    if (m[1] && m[2]) pages.push({ width: Number(m[1]), height: Number(m[2]) });
    else found.push({ page: pages.length, xMin: Number(m[3]), yMin: Number(m[4]), xMax: Number(m[5]), yMax: Number(m[6]), text: m[7] ?? '' });
  }
  return { pages, words: found };
}

/** Renders one page to test-results/pdf/<name>.png at 60 dpi and returns its path. */
function png(pdf: Buffer, name: string, page = 1): string {
  fs.mkdirSync(PNG_DIR, { recursive: true });
  const prefix = path.join(PNG_DIR, name);
  run('pdftoppm', ['-png', '-r', '60', '-f', String(page), '-l', String(page), '-singlefile', writePdf(pdf), prefix]);
  return `${prefix}.png`;
}

// ---------------------------------------------------------------------------------------------

describe('prescription PDF', () => {
  it('A4 with letterhead in English and Hindi: generic names in capitals, the numbers NMC asks for, Hindi that extracts correctly', async () => {
    const pdf = await renderPrescriptionPdf(prescription(), A4_LETTERHEAD_HI);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const t = text(pdf);

    // Letterhead and doctor block.
    expect(t).toContain('Sanjeevani Family Clinic');
    expect(t).toContain('Shivaji Nagar');
    expect(t).toContain('Mon-Sat 9 am-1 pm');
    expect(t).toContain('Dr. Asha Mehta');
    expect(t).toContain('MBBS, MD (General Medicine)');
    expect(t).toContain('MMC-2012/03/4567');
    expect(t).toContain('Maharashtra Medical Council');

    // Patient, date, number.
    expect(t).toContain('Ramesh Kumar Patil');
    expect(t).toMatch(/45 y \/ Male/);
    expect(t).toContain('MRN: A-000123');
    expect(t).toContain('ABHA: 91-1234-5678-9012');
    expect(t).toContain('21-11-2026');
    expect(t).toContain('A/RX/000123');

    // Items: generic in capitals, then the brand; dosage in shorthand and words.
    expect(t).toContain('PARACETAMOL 500 mg tablet (Crocin)');
    expect(t).toContain('PANTOPRAZOLE 40 mg tablet (Pan 40)');
    expect(t).toContain('MUPIROCIN 2% ointment (T-Bact)');
    expect(t).not.toMatch(/Paracetamol|Pantoprazole|Mupirocin/);
    expect(t).toContain('1 tablet · 1-0-1 (morning and night) · after food · for 5 days · Qty: 10');
    expect(t).toContain('1-0-0 (in the morning) · on an empty stomach · for 7 days · Qty: 7');
    expect(t).toContain('0-0-1 (at night) · at bedtime');
    expect(t).toContain('1-1-1 (morning, afternoon and night) · apply on the skin · for 7 days · Qty: 1');
    expect(t).toContain('SOS (when needed)');
    expect(t).toContain('Take with a full glass of water.');

    // Hindi: instructions and the dosage words, extracted in typed (logical) order.
    expect(t).toContain('सुबह और रात, खाने के बाद, 5 दिन तक');
    expect(t).toContain('खाने के बाद');
    expect(t).toContain('पूरे गिलास पानी के साथ लें।');
    expect(t).toContain('सुबह, खाली पेट, 7 दिन तक');
    expect(t).toContain('रात में, सोते समय');
    expect(t).toContain('ज़रूरत होने पर');
    expect(t).toContain('तेज़ दर्द होने पर ही; दिन में 3 से ज़्यादा नहीं।');
    expect(t).toContain('दो दिन आराम करें।');

    // Diagnoses, investigations, advice, diet, follow-up, signature, footer.
    expect(t).toContain('Diagnoses: Acute pharyngitis (J02.9); Infected abrasion, right forearm');
    expect(t).toContain('Investigations: CBC, CRP');
    expect(t).toContain('Advice: Drink plenty of warm fluids.');
    expect(t).toContain('Diet: Soft, bland food');
    expect(t).toContain('Follow-up: 28-11-2026');
    expect(t).toContain('Reg. No. MMC-2012/03/4567');
    expect(t).toContain('Scan to verify');
    expect(t).toContain('Page 1 of 1');
    expect(t).not.toContain('DUPLICATE');

    const i = info(pdf);
    expect(i['Pages']).toBe('1');
    expect(i['Title']).toBe('Prescription A/RX/000123');
    expect(i['Author']).toBe('Dr. Asha Mehta');
    expect(i['CreationDate']).toMatch(/^2026-11-21T00:00:00/);
    expect(i['Page size']).toMatch(/^595\.2\d* x 841\.8\d* pts/);

    const file = png(pdf, 'a4-letterhead-hi');
    expect(fs.statSync(file).size).toBeGreaterThan(20_000);
  });

  it('A5 on a pre-printed pad: no letterhead, content inside the margins, English only', async () => {
    const pdf = await renderPrescriptionPdf(prescription(), A5_PAD_EN);
    const t = text(pdf);
    expect(t).not.toContain('Sanjeevani');
    expect(t).not.toContain('Shivaji Nagar');
    expect(t).not.toContain('Mon-Sat');
    expect(t).not.toMatch(/[\u0900-\u097f]/);
    expect(t).toContain('PARACETAMOL 500 mg tablet (Crocin)');
    expect(t).toContain('MRN: A-000123');
    expect(t).toContain('ABHA: 91-1234-5678-9012');
    expect(t).toContain('A/RX/000123');
    // The signature block still carries the registration (NMC) even without a letterhead.
    expect(t).toContain('Dr. Asha Mehta');
    expect(t).toContain('Reg. No. MMC-2012/03/4567');
    expect(t).toContain('Maharashtra Medical Council');

    const i = info(pdf);
    expect(i['Page size']).toMatch(/^419\.5\d* x 595\.2\d* pts/);

    // Nothing above the top margin or left of the left margin (the pad's printed header is there).
    // pdftotext's boxes start at the font's ascent (1.069 em), about 0.12 em above the tallest ink.
    const { pages, words: all } = words(pdf);
    expect(all.length).toBeGreaterThan(50);
    for (const w of all) {
      expect(w.yMin, w.text).toBeGreaterThanOrEqual(mm(40) - 2);
      expect(w.xMin, w.text).toBeGreaterThanOrEqual(mm(20) - 1);
      const page = pages[w.page - 1];
      expect(page).toBeDefined();
      if (page) expect(w.xMax, w.text).toBeLessThanOrEqual(page.width);
    }

    const file = png(pdf, 'a5-pad-en');
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);
  });

  it('A4 without letterhead and A5 with letterhead in Hindi also render; no text leaves the page', async () => {
    const variants: [string, PrescriptionPdfOptions][] = [
      ['a4-pad-hi', { paper: 'A4', letterhead: false, marginTopMm: 50, marginLeftMm: 15, language: 'en+hi' }],
      ['a5-letterhead-hi', { paper: 'A5', letterhead: true, marginTopMm: 8, marginLeftMm: 10, language: 'en+hi' }],
    ];
    for (const [name, options] of variants) {
      const pdf = await renderPrescriptionPdf(prescription(), options);
      const t = text(pdf);
      expect(t).toContain('PARACETAMOL 500 mg tablet (Crocin)');
      expect(t).toContain('खाने के बाद');
      expect(t).toContain('MMC-2012/03/4567');
      if (options.letterhead) expect(t).toContain('Sanjeevani Family Clinic');
      else expect(t).not.toContain('Sanjeevani Family Clinic');
      const { pages, words: all } = words(pdf);
      for (const w of all) {
        const page = pages[w.page - 1];
        if (!page) throw new Error('word outside a page');
        expect(w.xMin, `${name}: ${w.text}`).toBeGreaterThanOrEqual(0);
        expect(w.yMin, `${name}: ${w.text}`).toBeGreaterThanOrEqual(0);
        expect(w.xMax, `${name}: ${w.text}`).toBeLessThanOrEqual(page.width);
        expect(w.yMax, `${name}: ${w.text}`).toBeLessThanOrEqual(page.height);
      }
      expect(fs.statSync(png(pdf, name)).size).toBeGreaterThan(10_000);
    }
  });

  it('stamps DUPLICATE with the reprint date on every page only when it is a reprint', async () => {
    const original = text(await renderPrescriptionPdf(longPrescription(), A4_LETTERHEAD_HI));
    expect(original).not.toContain('DUPLICATE');
    expect(original).not.toContain('Reprinted');

    const pdf = await renderPrescriptionPdf(longPrescription(), { ...A4_LETTERHEAD_HI, language: 'en' });
    const reprint = await renderPrescriptionPdf({ ...longPrescription(), duplicate: { printedOn: '2026-11-23' } }, {
      ...A4_LETTERHEAD_HI,
      language: 'en',
    });
    expect(info(pdf)['Pages']).toBe(info(reprint)['Pages']);
    const pages = Number(info(reprint)['Pages']);
    expect(pages).toBeGreaterThanOrEqual(2);
    for (let page = 1; page <= pages; page += 1) {
      const t = text(reprint, { first: page, last: page });
      expect(t).toContain('DUPLICATE — reprinted on 23-11-2026');
      // The rotated stamp is hidden from extraction, so the prescription's lines stay whole.
      expect(t).toContain('Ramesh Kumar Patil');
      // ... and it is there to see: light red on every page of the reprint, none on the original.
      expect(redPixels(reprint, page), `page ${page}`).toBeGreaterThan(2000);
      expect(redPixels(pdf, page), `page ${page}`).toBe(0);
    }
    expect(fs.statSync(png(reprint, 'a4-duplicate')).size).toBeGreaterThan(20_000);
  });

  it('a 25-item prescription flows onto a second page with the header repeated and page numbers', async () => {
    const pdf = await renderPrescriptionPdf(longPrescription(), { ...A4_LETTERHEAD_HI, language: 'en' });
    expect(info(pdf)['Pages']).toBe('2');
    const all = text(pdf);
    expect(all).toContain('Page 1 of 2');
    expect(all).toContain('Page 2 of 2');
    expect(all).toContain('Continued on page 2');
    for (let n = 1; n <= 25; n += 1) expect(all).toMatch(new RegExp(`(^|\\s)${n}\\. [A-Z]`, 'm'));

    const page1 = text(pdf, { first: 1, last: 1 });
    const page2 = text(pdf, { first: 2, last: 2 });
    for (const page of [page1, page2]) {
      expect(page).toContain('Sanjeevani Family Clinic');
      expect(page).toContain('MMC-2012/03/4567');
      expect(page).toContain('Ramesh Kumar Patil');
      expect(page).toContain('MRN: A-000123');
      expect(page).toContain('ABHA: 91-1234-5678-9012');
      expect(page).toContain('21-11-2026');
      expect(page).toContain('A/RX/000999');
    }
    expect(page1).toContain('PARACETAMOL 10 mg tablet (Brand1)');
    expect(page2).toContain('(continued)');
    expect(page2).toContain('LORATADINE 250 mg tablet (Brand25)');
    // The end of the prescription (signature and QR) is on the last page only.
    expect(page1).not.toContain('Scan to verify');
    expect(page2).toContain('Scan to verify');

    expect(fs.statSync(png(pdf, 'long-page2', 2)).size).toBeGreaterThan(20_000);

    // Without a letterhead the header on page 2 is the patient line alone, below the pad's margin.
    const pad = await renderPrescriptionPdf(longPrescription(), { ...A5_PAD_EN });
    const padPages = Number(info(pad)['Pages']);
    expect(padPages).toBeGreaterThanOrEqual(3);
    const last = text(pad, { first: padPages, last: padPages });
    expect(last).toContain('MRN: A-000123');
    expect(last).toContain(`Page ${padPages} of ${padPages}`);
    expect(last).not.toContain('Sanjeevani');
  });

  it('is deterministic: the same prescription gives the same bytes', async () => {
    const a = await renderPrescriptionPdf(prescription(), A4_LETTERHEAD_HI);
    const b = await renderPrescriptionPdf(prescription(), A4_LETTERHEAD_HI);
    expect(a.equals(b)).toBe(true);
    const c = await renderPrescriptionPdf(prescription({ date: '2026-11-22' }), A4_LETTERHEAD_HI);
    expect(a.equals(c)).toBe(false);
  });

  it('embeds a QR code that carries the prescription number and the verification hash', async () => {
    const doc = prescription();
    const pdf = await renderPrescriptionPdf(doc, A5_PAD_EN);
    const dir = tempDir('rx-qr-');
    const file = path.join(dir, 'rx.pdf');
    fs.writeFileSync(file, pdf);
    // No letterhead, so the only image is the QR code, on the last page (pdfimages also lists its soft mask).
    const last = info(pdf)['Pages'] ?? '1';
    const listed = run('pdfimages', ['-list', file])
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((cols) => cols[2] === 'image');
    expect(listed.map((cols) => cols[0])).toEqual([last]);
    expect(listed.length).toBe(1);
    const num = Number(listed[0]?.[1]);
    run('pdfimages', ['-f', last, '-l', last, file, path.join(dir, 'img')]);
    const name = fs.readdirSync(dir).find((f) => f.startsWith(`img-${String(num).padStart(3, '0')}.`));
    expect(name).toBeDefined();
    const raster = readNetpbm(fs.readFileSync(path.join(dir, name ?? '')));

    const payload = qrPayload(doc);
    expect(payload).toBe(`RX:A/RX/000123;H:${HASH}`);
    const qr = QRCode.create(payload, { errorCorrectionLevel: 'M' });
    const n = qr.modules.size;
    const margin = 1;
    const scale = raster.width / (n + 2 * margin);
    expect(Number.isInteger(scale)).toBe(true);
    let mismatches = 0;
    for (let row = 0; row < n; row += 1) {
      for (let col = 0; col < n; col += 1) {
        const dark = raster.dark(Math.floor((col + margin + 0.5) * scale), Math.floor((row + margin + 0.5) * scale));
        if (dark !== Boolean(qr.modules.get(row, col))) mismatches += 1;
      }
    }
    expect(mismatches).toBe(0);
  });

  it('prints a bare prescription: no ABHA, mobile, advice or follow-up; a JPEG logo; a logo it cannot read is left out', async () => {
    // A JPEG made by poppler from the QR page of another prescription, to stand in for a logo.
    const dir = tempDir('rx-jpeg-');
    const source = path.join(dir, 'rx.pdf');
    fs.writeFileSync(source, await renderPrescriptionPdf(prescription(), A5_PAD_EN));
    run('pdftoppm', ['-jpeg', '-r', '30', '-f', '1', '-l', '1', '-singlefile', source, path.join(dir, 'logo')]);
    const jpeg = fs.readFileSync(path.join(dir, 'logo.jpg'));

    const bare = prescription({
      patient: { name: 'Baby Anaya', age: 1, sex: 'F', mrn: 'A-000777', abhaNumber: null, mobile: null },
      diagnoses: [],
      items: [item({ genericName: 'ORS', form: 'sachet', dose: '1 sachet in 1 litre of water', frequency: 'as needed', timing: 'any' })],
      advice: null,
      adviceHi: null,
      diet: null,
      investigations: null,
      followUpDate: null,
    });
    for (const logo of [jpeg, 'data:image/png;base64,bm90IGEgcG5n', 'not a data url', null]) {
      const pdf = await renderPrescriptionPdf({ ...bare, clinic: { ...bare.clinic, logo } }, A4_LETTERHEAD_HI);
      const t = text(pdf);
      expect(t).toContain('Baby Anaya (1 y / Female)');
      expect(t).toContain('MRN: A-000777');
      expect(t).not.toMatch(/ABHA|Mobile|Advice|Follow-up|Diagnos|Investigations|Diet/);
      expect(t).toContain('ORS sachet');
      expect(t).toContain('1 sachet in 1 litre of water · as needed · for 5 days');
      expect(t).toContain('Sanjeevani Family Clinic');
      const images = run('pdfimages', ['-list', writePdf(pdf)])
        .split('\n')
        .filter((line) => line.trim().split(/\s+/)[2] === 'image');
      // The QR code, plus the logo when it is a real JPEG.
      expect(images.length, String(logo).slice(0, 30)).toBe(Buffer.isBuffer(logo) ? 2 : 1);
    }
  });

  it('refuses margins that leave no room', async () => {
    await expect(renderPrescriptionPdf(prescription(), { ...A5_PAD_EN, marginLeftMm: 100 })).rejects.toThrow(RangeError);
    await expect(renderPrescriptionPdf(prescription(), { ...A5_PAD_EN, marginTopMm: 200 })).rejects.toThrow(RangeError);
    await expect(renderPrescriptionPdf(prescription(), { ...A5_PAD_EN, marginTopMm: -1 })).rejects.toThrow(RangeError);
  });
});

/** Counts the reddish pixels of a page rendered at 40 dpi (the DUPLICATE stamp is light red). */
function redPixels(pdf: Buffer, page: number): number {
  const dir = tempDir('rx-red-');
  const file = path.join(dir, 'rx.pdf');
  fs.writeFileSync(file, pdf);
  run('pdftoppm', ['-r', '40', '-f', String(page), '-l', String(page), '-singlefile', file, path.join(dir, 'page')]);
  const data = fs.readFileSync(path.join(dir, 'page.ppm'));
  const raster = readNetpbm(data);
  let count = 0;
  for (let y = 0; y < raster.height; y += 1) {
    for (let x = 0; x < raster.width; x += 1) {
      const [r, g, b] = raster.rgb(x, y);
      if (r > 200 && r - g > 30 && r - b > 30) count += 1;
    }
  }
  return count;
}

/** Reads a binary PPM (P6), PGM (P5) or PBM (P4) as written by pdfimages. */
function readNetpbm(data: Buffer): {
  width: number;
  height: number;
  dark: (x: number, y: number) => boolean;
  rgb: (x: number, y: number) => [number, number, number];
} {
  let pos = 0;
  const token = (): string => {
    for (;;) {
      while (pos < data.length && /\s/.test(String.fromCharCode(data[pos] ?? 0))) pos += 1;
      if (data[pos] === 0x23) {
        while (pos < data.length && data[pos] !== 0x0a) pos += 1;
        continue;
      }
      break;
    }
    let out = '';
    while (pos < data.length && !/\s/.test(String.fromCharCode(data[pos] ?? 0))) out += String.fromCharCode(data[pos++] ?? 0);
    return out;
  };
  const magic = token();
  const width = Number(token());
  const height = Number(token());
  const max = magic === 'P4' ? 1 : Number(token());
  pos += 1;
  const pixels = data.subarray(pos);
  const dark = (x: number, y: number): boolean => {
    if (magic === 'P4') {
      const rowBytes = Math.ceil(width / 8);
      return (((pixels[y * rowBytes + (x >> 3)] ?? 0) >> (7 - (x & 7))) & 1) === 1;
    }
    if (magic === 'P5') return (pixels[y * width + x] ?? 0) < max / 2;
    const o = (y * width + x) * 3;
    return ((pixels[o] ?? 0) + (pixels[o + 1] ?? 0) + (pixels[o + 2] ?? 0)) / 3 < max / 2;
  };
  const rgb = (x: number, y: number): [number, number, number] => {
    if (magic !== 'P6') {
      const v = dark(x, y) ? 0 : 255;
      return [v, v, v];
    }
    const o = (y * width + x) * 3;
    return [pixels[o] ?? 0, pixels[o + 1] ?? 0, pixels[o + 2] ?? 0];
  };
  if (!['P4', 'P5', 'P6'].includes(magic)) throw new Error(`unexpected image format ${magic}`);
  return { width, height, dark, rgb };
}
