import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { PrescriptionItem } from '../../db/schema/prescriptions';
import { renderPrescriptionPdf, type PrescriptionDoc } from '../../electron/pdf/prescription';
import { PRINT_API, parseRendered, renderExpression, type RenderedPdf } from '../../shared/print-protocol';
import { expect, test } from './fixtures';

/**
 * The print page the Electron spooler prints through (Windows), in Chromium: served by the
 * browser host with the app's CSP, handed a real two-page A5 prescription from the app's own PDF
 * code through the same expression the main process evaluates, then printed with Chromium's
 * print-to-PDF (the engine behind webContents.print). The printed file must have the PDF's pages
 * at the PDF's size and look like the original.
 */

const A5 = { widthPt: 419.53, heightPt: 595.28 };
const OUT_DIR = path.resolve(import.meta.dirname, '..', '..', 'test-results', 'print-page');

function item(genericName: string, i: number): PrescriptionItem {
  return {
    drugId: null,
    genericName,
    brand: `Brand${i + 1}`,
    form: 'tablet',
    strength: `${(i + 1) * 10} mg`,
    route: 'oral',
    dose: '1 tablet',
    frequency: ['1-0-1', '1-1-1', '0-0-1', 'SOS'][i % 4]!,
    timing: 'after-food',
    durationDays: 3 + (i % 5),
    quantity: 10 + i,
    instructions: i % 3 === 0 ? 'Take after a meal with water.' : null,
    instructionsHi: i % 3 === 0 ? 'खाने के बाद पानी के साथ लें।' : null,
    acknowledged: [],
  };
}

const DRUGS = ['Paracetamol', 'Amoxicillin', 'Azithromycin', 'Cetirizine', 'Pantoprazole', 'Metformin', 'Amlodipine', 'Atorvastatin', 'Telmisartan', 'Montelukast'];

function prescription(): PrescriptionDoc {
  return {
    clinic: { name: 'Sanjeevani Family Clinic', address: '12, Shivaji Nagar, Pune, Maharashtra 411005', phone: '020 2553 1234', timings: 'Mon-Sat 9 am-1 pm, 5-8 pm', tagline: null, logo: null },
    doctor: { name: 'Asha Mehta', qualifications: 'MBBS, MD (General Medicine)', registrationCouncil: 'Maharashtra Medical Council', registrationNumber: 'MMC-2012/03/4567', specialization: 'Consultant Physician' },
    patient: { name: 'Ramesh Kumar Patil', age: 45, sex: 'M', mrn: 'A-000123', abhaNumber: null, mobile: '98765 43210' },
    rxNumber: 'A/RX/000123',
    date: '2026-11-21',
    diagnoses: ['Acute pharyngitis (J02.9)'],
    items: DRUGS.map(item),
    advice: 'Drink plenty of warm fluids.\nRest for two days.',
    adviceHi: 'गुनगुना पानी ज़्यादा पिएँ।\nदो दिन आराम करें।',
    diet: 'Soft, bland food.',
    investigations: 'CBC, CRP',
    followUpDate: '2026-11-28',
    verification: { hash: '9f2c4e7a1b3d5f60' },
    duplicate: null,
  };
}

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

function pdfInfo(file: string): { pages: number; width: number; height: number } {
  const out = run('pdfinfo', [file]);
  const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(out);
  return { pages: Number(/Pages:\s+(\d+)/.exec(out)?.[1]), width: Number(size?.[1]), height: Number(size?.[2]) };
}

/** Page `n` as 8-bit greys, width x height pixels (pdftoppm's PGM: a text header, then one byte per pixel). */
function greys(file: string, n: number, width: number, height: number): { width: number; height: number; pixels: Buffer } {
  const prefix = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'print-page-')), 'p');
  run('pdftoppm', ['-gray', '-scale-to-x', String(width), '-scale-to-y', String(height), '-f', String(n), '-l', String(n), '-singlefile', file, prefix]);
  const data = fs.readFileSync(`${prefix}.pgm`);
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(data.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('not a PGM file');
  return { width: Number(header[1]), height: Number(header[2]), pixels: data.subarray(header[0].length) };
}

/** Mean ink (0 white .. 255 black) of each cell of a cols x rows grid over the page. */
function inkGrid(g: { width: number; height: number; pixels: Buffer }, cols: number, rows: number): number[] {
  const cells: number[] = [];
  for (let row = 0; row < rows; row += 1) {
    for (let col = 0; col < cols; col += 1) {
      let total = 0;
      let count = 0;
      for (let y = Math.floor((row * g.height) / rows); y < Math.floor(((row + 1) * g.height) / rows); y += 1) {
        for (let x = Math.floor((col * g.width) / cols); x < Math.floor(((col + 1) * g.width) / cols); x += 1) {
          total += 255 - g.pixels[y * g.width + x]!;
          count += 1;
        }
      }
      cells.push(total / count);
    }
  }
  return cells;
}

function correlation(a: readonly number[], b: readonly number[]): number {
  const mean = (xs: readonly number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
  const [ma, mb] = [mean(a), mean(b)];
  let num = 0;
  let da = 0;
  let db = 0;
  a.forEach((v, i) => {
    num += (v - ma) * (b[i]! - mb);
    da += (v - ma) ** 2;
    db += (b[i]! - mb) ** 2;
  });
  return num / Math.sqrt(da * db);
}

async function openPrintPage(page: Page, url: string) {
  const problems: string[] = [];
  // Script errors, CSP refusals (console errors) and failed loads; the browser's own favicon request is not the page's.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('response', (r) => {
    if (r.status() >= 400 && new URL(r.url()).pathname !== '/favicon.ico') problems.push(`${r.status()} ${r.url()}`);
  });
  await page.goto(`${url}/print.html`);
  await expect(page.locator('html')).toHaveAttribute('data-state', 'waiting');
  return problems;
}

test('the print page lays out every page of a prescription at its paper size, and Chromium prints it as the same two A5 pages', async ({ page, host }) => {
  const pdf = await renderPrescriptionPdf(prescription(), { paper: 'A5', letterhead: true, marginTopMm: 12, marginLeftMm: 12, language: 'en+hi' });
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const source = path.join(OUT_DIR, 'prescription.pdf');
  fs.writeFileSync(source, pdf);
  const original = pdfInfo(source);
  expect(original.pages).toBe(2);
  expect(original.width).toBeCloseTo(A5.widthPt, 0);
  expect(original.height).toBeCloseTo(A5.heightPt, 0);

  const problems = await openPrintPage(page, host.url);
  // What the main process does: evaluate the expression and wait for its promise.
  const rendered: RenderedPdf = parseRendered(await page.evaluate(renderExpression(pdf.toString('base64'), 'Prescription A/RX/000123')));
  await expect(page.locator('html')).toHaveAttribute('data-state', 'ready');
  expect(rendered.pages).toHaveLength(2);
  for (const p of rendered.pages) {
    expect(p.widthPt).toBeCloseTo(A5.widthPt, 1);
    expect(p.heightPt).toBeCloseTo(A5.heightPt, 1);
    // 300 dpi: A5 is 1748 x 2480 device pixels.
    expect(p.pixelWidth).toBe(Math.ceil((A5.widthPt * 300) / 72));
    expect(p.pixelWidth / p.pixelHeight).toBeCloseTo(A5.widthPt / A5.heightPt, 3);
  }
  expect(await page.title()).toBe('Prescription A/RX/000123');

  // In the document: one page box per PDF page, its image at the page's aspect ratio, laid out
  // at the page's size in CSS points, on a sheet (@page) of the same size with no margins.
  const pages = page.locator('#pages > .page');
  await expect(pages).toHaveCount(2);
  const boxes = await pages.evaluateAll((els) =>
    els.map((el) => {
      const img = el.querySelector('img')!;
      const r = el.getBoundingClientRect();
      return { width: r.width, height: r.height, natural: [img.naturalWidth, img.naturalHeight], complete: img.complete };
    }),
  );
  for (const b of boxes) {
    expect(b.complete).toBe(true);
    expect(b.natural[0]! / b.natural[1]!).toBeCloseTo(A5.widthPt / A5.heightPt, 3);
    // CSS px are 1/96 inch, points 1/72.
    expect(b.width).toBeCloseTo((A5.widthPt * 96) / 72, 0);
    expect(b.height).toBeCloseTo((A5.heightPt * 96) / 72, 0);
  }
  // (Expressions as strings: this file is typed for Node, without the DOM.)
  const pageRule = await page.evaluate<string | null>('[...document.styleSheets].flatMap((s) => [...s.cssRules]).find((r) => r instanceof CSSPageRule)?.cssText ?? null');
  expect(pageRule).toBe('@page { size: 419.53pt 595.28pt; margin: 0px; }');

  // Printed as webContents.print is asked to print it (A5 = 148 x 210 mm, no margins, backgrounds on), and by the page's
  // own @page size alone: both give the PDF's two A5 pages.
  const printed = path.join(OUT_DIR, 'printed.pdf');
  fs.writeFileSync(printed, await page.pdf({ width: '148mm', height: '210mm', margin: { top: 0, right: 0, bottom: 0, left: 0 }, printBackground: true }));
  const byCss = path.join(OUT_DIR, 'printed-css-size.pdf');
  fs.writeFileSync(byCss, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
  for (const file of [printed, byCss]) {
    const info = pdfInfo(file);
    expect(info.pages).toBe(2);
    // Chromium rounds the sheet to its own units: within a point of A5.
    expect(Math.abs(info.width - A5.widthPt)).toBeLessThan(1);
    expect(Math.abs(info.height - A5.heightPt)).toBeLessThan(1);
  }

  // Each printed page looks like its original page: the ink, measured on a 20 x 28 grid of cells,
  // correlates closely and totals the same. Per pixel they differ (anti-aliasing of a picture of
  // the text against the text itself), so the cells; against the other page it does not correlate.
  const ink = (file: string, n: number) => inkGrid(greys(file, n, 233, 330), 20, 28);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const [source1, source2, printed1, printed2] = [ink(source, 1), ink(source, 2), ink(printed, 1), ink(printed, 2)];
  for (const [a, b] of [[source1, printed1], [source2, printed2]] as const) {
    expect(correlation(a, b)).toBeGreaterThan(0.95);
    expect(sum(b) / sum(a)).toBeGreaterThan(0.9);
    expect(sum(b) / sum(a)).toBeLessThan(1.1);
    // Not blank: more than 3% ink on average (the pages have about 4-5%).
    expect(sum(b) / b.length / 255).toBeGreaterThan(0.03);
  }
  expect(correlation(source2, printed1)).toBeLessThan(0.8);
  // For a person to look at.
  run('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', '-singlefile', printed, path.join(OUT_DIR, 'printed-page-1')]);

  expect(problems).toEqual([]);
});

test('a PDF the print page cannot read fails the render with a clear message', async ({ page, host }) => {
  await openPrintPage(page, host.url);
  const notAPdf = Buffer.from('this is not a PDF').toString('base64');
  const error = await page.evaluate(renderExpression(notAPdf, 'broken')).then(
    () => null,
    (e: unknown) => String(e),
  );
  expect(error).toMatch(/The document could not be prepared for printing: .*PDF/i);
  await expect(page.locator('html')).toHaveAttribute('data-state', 'error');
  // Still there for another try.
  expect(await page.evaluate<string>(`typeof window.${PRINT_API}.render`)).toBe('function');
});
