import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PrescriptionItem } from '../../db/schema';
import type { Input, MethodName, Output } from '../../electron/api';
import { createClinicApp, type ClinicApp } from '../../electron/app';
import {
  chooseSpooler,
  commandOnPath,
  cupsSpooler,
  missingPrinter,
  PrinterList,
  printersFromOs,
  printFailureMessage,
  printPageSize,
  type Paper,
  type PrinterInfo,
  type PrintResult,
  type Spooler,
} from '../../electron/services/printing';
import { MAX_PAGE_PIXELS, pageRule, pixelScale } from '../../renderer/src/print/layout';
import { parseRendered, renderExpression } from '../../shared/print-protocol';
import { PROCESS_SESSION_KEYS, TEST_KEY } from '../helpers/app';
import { tempDir } from '../helpers/temp';
import { DAY, openDoctorDesk, type DoctorDesk } from './doctor-fixtures';

/**
 * The spooler seam: which spooler a workstation uses, the pure parts of the Electron spooler
 * (printer list, checks, page size, messages, the print page's protocol and layout), and that
 * every print and printer list of an app goes to the spooler it was created with. The Electron
 * spooler itself needs Electron's binary; its page is tested in Chromium (test/e2e/print-page.spec.ts).
 */

describe('choosing the spooler', () => {
  it('prints through Electron on Windows, through CUPS elsewhere while lp exists, and through Electron where it does not', () => {
    expect(chooseSpooler('win32', false)).toBe('electron');
    expect(chooseSpooler('win32', true)).toBe('electron');
    expect(chooseSpooler('linux', true)).toBe('cups');
    expect(chooseSpooler('darwin', true)).toBe('cups');
    expect(chooseSpooler('linux', false)).toBe('electron');
    expect(chooseSpooler('darwin', false)).toBe('electron');
    // CLINIC_SPOOLER: Electron's path can be tried anywhere; CUPS only where lp is.
    expect(chooseSpooler('linux', true, 'electron')).toBe('electron');
    expect(chooseSpooler('win32', true, 'cups')).toBe('cups');
    expect(chooseSpooler('win32', false, 'cups')).toBe('electron');
    expect(chooseSpooler('linux', true, 'something-else')).toBe('cups');
  });

  it('finds lp on PATH without running it: only an executable file counts', () => {
    const empty = tempDir();
    const notExecutable = tempDir();
    const withLp = tempDir();
    const directory = tempDir();
    fs.writeFileSync(path.join(notExecutable, 'lp'), '#!/bin/sh\n', { mode: 0o644 });
    fs.writeFileSync(path.join(withLp, 'lp'), '#!/bin/sh\n', { mode: 0o755 });
    fs.mkdirSync(path.join(directory, 'lp'));
    const PATH = (...dirs: string[]) => dirs.join(path.delimiter);
    expect(commandOnPath('lp', PATH(empty, notExecutable, directory))).toBeNull();
    expect(commandOnPath('lp', PATH(empty, '', notExecutable, withLp))).toBe(path.join(withLp, 'lp'));
    expect(commandOnPath('lp', '')).toBeNull();
    // This machine prints through CUPS (the printing tests need it).
    expect(commandOnPath('lp')).not.toBeNull();
  });

  it('an app created without a spooler prints through CUPS', () => {
    const app = open(createClinicApp({ dataDir: tempDir(), key: TEST_KEY, backupScheduler: false }));
    expect(app.spooler).toBe(cupsSpooler);
  });
});

describe('the Electron spooler, without Electron', () => {
  it("reads the OS's printers, with the default where the platform marks one", () => {
    expect(
      printersFromOs([
        { name: 'HP_LaserJet_M1136', options: { 'printer-is-default': 'true', 'printer-state': '3' } },
        { name: 'Microsoft Print to PDF', options: {} },
        { name: 'Brother_HL', options: { 'is-default': 'false' } },
        { name: 'Canon' },
      ]),
    ).toEqual([
      { name: 'HP_LaserJet_M1136', isDefault: true },
      { name: 'Microsoft Print to PDF', isDefault: false },
      { name: 'Brother_HL', isDefault: false },
      { name: 'Canon', isDefault: false },
    ]);
  });

  it('refuses a printer that is not installed, or printing with none, before anything is sent', () => {
    const list = [{ name: 'HP', isDefault: true }];
    expect(missingPrinter(list, 'HP')).toBeNull();
    expect(missingPrinter(list, null)).toBeNull();
    expect(missingPrinter(list, 'PDF')).toBe('The printer "PDF" is not installed on this computer. Choose another printer, or use "Save as PDF".');
    expect(missingPrinter([], null)).toBe('No printer is installed on this computer. Use "Save as PDF" instead.');
  });

  it('keeps the printer list so printers.list answers at once, refreshing it in the background when it is old', async () => {
    let now = 0;
    let fetches = 0;
    let answer: PrinterInfo[] = [{ name: 'HP', isDefault: true }];
    let fail = false;
    const list = new PrinterList(
      async () => {
        fetches += 1;
        if (fail) throw new Error('no window');
        return answer;
      },
      () => now,
      30_000,
    );
    // The first call answers with what is known (nothing) and starts a fetch; one fetch at a time.
    expect(list.current()).toEqual([]);
    expect(list.current()).toEqual([]);
    expect(fetches).toBe(1);
    await list.refresh();
    expect(fetches).toBe(1);
    expect(list.current()).toEqual(answer);
    // Fresh: no fetch. Old: the old list, and a fetch.
    now += 10_000;
    list.current();
    expect(fetches).toBe(1);
    answer = [{ name: 'Canon', isDefault: false }];
    now += 30_001;
    expect(list.current()).toEqual([{ name: 'HP', isDefault: true }]);
    expect(fetches).toBe(2);
    expect(await list.refresh()).toEqual(answer);
    // A failed fetch keeps the list.
    fail = true;
    expect(await list.refresh()).toEqual(answer);
    expect(list.current()).toEqual(answer);
  });

  it('asks Electron for the named paper, else for the PDF page in microns', () => {
    expect(printPageSize('A5', { widthPt: 419.53, heightPt: 595.28 })).toBe('A5');
    expect(printPageSize('A4', { widthPt: 419.53, heightPt: 595.28 })).toBe('A4');
    const pt = (mm: number) => (mm / 25.4) * 72;
    expect(printPageSize(null, { widthPt: pt(148), heightPt: pt(210) })).toEqual({ width: 148_000, height: 210_000 });
    expect(printPageSize(null, { widthPt: 612, heightPt: 792 })).toEqual({ width: 215_900, height: 279_400 });
  });

  it("says Electron's print failures as the app says CUPS's", () => {
    expect(printFailureMessage('Print job canceled')).toBe('The print was cancelled before it reached the printer.');
    expect(printFailureMessage('Print job failed')).toBe('The printer refused the job: Print job failed');
    expect(printFailureMessage('')).toBe('The printer refused the job: no reason given');
  });

  it('hands the print page nothing but base64, and checks what it answers', () => {
    expect(renderExpression('JVBERi0=', 'Prescription A/RX/000001')).toBe('window.clinicPrint.render("JVBERi0=", "Prescription A/RX/000001")');
    expect(renderExpression('', 'quote " and \\ backslash')).toBe('window.clinicPrint.render("", "quote \\" and \\\\ backslash")');
    expect(() => renderExpression('"); alert(1); ("', 't')).toThrow('The PDF to print must be base64.');

    const page = { widthPt: 419.53, heightPt: 595.28, pixelWidth: 1748, pixelHeight: 2481 };
    expect(parseRendered({ pages: [page, page], extra: true })).toEqual({ pages: [page, page] });
    expect(() => parseRendered(undefined)).toThrow('The print page rendered no pages.');
    expect(() => parseRendered({ pages: [] })).toThrow('The print page rendered no pages.');
    expect(() => parseRendered({ pages: [page, { ...page, widthPt: 0 }] })).toThrow('The print page answered with a malformed page 2.');
    expect(() => parseRendered({ pages: [{ ...page, pixelHeight: '2481' }] })).toThrow('malformed page 1');
  });

  it('lays pages out at 300 dpi on a sheet of their own size, with less resolution only for huge pages', () => {
    expect(pixelScale(419.53, 595.28)).toBeCloseTo(300 / 72, 10);
    expect(pixelScale(595.28, 841.89)).toBeCloseTo(300 / 72, 10);
    // A1 at 300 dpi would be 70 Mpx: scaled down to the cap, proportions kept.
    const a1 = pixelScale(1683.78, 2383.94);
    expect(a1).toBeLessThan(300 / 72);
    expect(1683.78 * a1 * 2383.94 * a1).toBeCloseTo(MAX_PAGE_PIXELS, -3);
    expect(pageRule(419.527, 595.276)).toBe('@page { size: 419.53pt 595.28pt; margin: 0; }');
  });
});

/* ---------------------------------------------------------------------------------------- */
// Every print of an app goes to its spooler.

interface Sent {
  pdf: Buffer;
  printer: string | null;
  title: string;
  paper: Paper | null;
}

/** A spooler that records what it is sent, as the Electron spooler would be handed it. */
function recordingSpooler(printers: PrinterInfo[], refuse: string | null = null): Spooler & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    list: () => printers,
    async print(pdf, printer, title, paper): Promise<PrintResult> {
      sent.push({ pdf, printer, title, paper });
      if (refuse) throw new Error(refuse);
      return { printer: printer ?? 'Microsoft Print to PDF', jobId: null };
    },
  };
}

const opened: ClinicApp[] = [];
afterEach(() => {
  while (opened.length > 0) opened.pop()!.close();
});

function open(app: ClinicApp): ClinicApp {
  opened.push(app);
  return app;
}

let template: { file: Buffer; ids: Omit<DoctorDesk, 'c'> } | undefined;

/** The doctor's-desk clinic, reopened by createClinicApp with the given spooler. */
function deskWith(spooler: Spooler) {
  if (!template) {
    const d = openDoctorDesk();
    d.c.app.database.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const { c: _c, ...ids } = d;
    template = { file: fs.readFileSync(d.c.app.dbFile), ids };
  }
  const dataDir = tempDir();
  fs.writeFileSync(path.join(dataDir, 'clinic.db'), template.file);
  const app = open(
    createClinicApp({ dataDir, key: TEST_KEY, backupScheduler: false, spooler, sessionKeys: PROCESS_SESSION_KEYS, now: () => Date.UTC(2026, 10, 21, 4, 30), settings: { sessionIdleMs: 60 * DAY } }),
  );
  function ok<M extends MethodName>(method: M, input: Input<M>, token: string): Output<M> {
    const r = app.router.call(method, input, token);
    if (!r.ok) throw new Error(`${method} failed: ${JSON.stringify(r.error)}`);
    return r.value as Output<M>;
  }
  const ids = template.ids;
  /** Reception checks Anil in with Dr Rao, who calls him in and writes one drug; returns the visit. */
  function prescribed(): string {
    const { visitId } = ok('queue.checkIn', { patientId: ids.anil, doctorId: ids.drRao }, ids.reception);
    ok('queue.callNext', {}, ids.rao);
    ok('prescriptions.save', { visitId, items: [DRUG] }, ids.rao);
    return visitId;
  }
  const rxStatus = (visitId: string) => ok('prescriptions.get', { visitId }, ids.rao).prescription?.status;
  return { app, ok, prescribed, rxStatus, ...ids };
}

const DRUG: PrescriptionItem = {
  drugId: null,
  genericName: 'Paracetamol',
  brand: 'Crocin',
  form: 'tablet',
  strength: '500 mg',
  route: 'oral',
  dose: '1 tablet',
  frequency: '1-0-1',
  timing: 'after-food',
  durationDays: 5,
  quantity: 10,
  instructions: null,
  instructionsHi: null,
  acknowledged: [],
};

describe("an app's prints and printer list go to its spooler", () => {
  it('printers.list, prescriptions.print, billing.printInvoice and billing.printReceipt', async () => {
    const printers = [
      { name: 'HP LaserJet M1136', isDefault: true },
      { name: 'Microsoft Print to PDF', isDefault: false },
    ];
    const spooler = recordingSpooler(printers);
    const k = deskWith(spooler);
    expect(k.app.spooler).toBe(spooler);
    expect(k.ok('printers.list', {}, k.reception)).toEqual(printers);

    // A prescription: the PDF, its title and the workstation's paper reach the spooler.
    const visitId = k.prescribed();
    const rxJob = k.ok('prescriptions.print', { visitId, printer: 'HP LaserJet M1136' }, k.rao);
    const rxDone = await k.app.jobs.wait(rxJob.id);
    expect(rxDone).toMatchObject({ status: 'done', result: { rxNumber: 'A/RX/000001', printer: 'HP LaserJet M1136', printJob: null, duplicate: false } });
    expect(spooler.sent).toHaveLength(1);
    expect(spooler.sent[0]).toMatchObject({ printer: 'HP LaserJet M1136', title: 'Prescription A/RX/000001', paper: 'A5' });
    expect(spooler.sent[0]!.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // ... and the print locked it, as a CUPS print does.
    expect(k.rxStatus(visitId)).toBe('printed');

    // An invoice (a bill of supply: this clinic has no GSTIN) and its receipt; the invoice on the
    // default printer (null: the spooler picks the OS default).
    const draft = k.ok(
      'billing.createInvoice',
      { patientId: k.anil, lines: [{ kind: 'consultation', description: 'Consultation', sacHsn: '999312', quantity: 1, ratePaise: 50_000 }] },
      k.reception,
    );
    const invoice = k.ok('billing.issueInvoice', { invoiceId: draft.id }, k.reception);
    const invJob = k.ok('billing.printInvoice', { invoiceId: invoice.id }, k.reception);
    expect(await k.app.jobs.wait(invJob.id)).toMatchObject({ status: 'done', result: { invoiceNumber: invoice.invoiceNumber, printer: 'Microsoft Print to PDF', printJob: null } });
    expect(spooler.sent[1]).toMatchObject({ printer: null, title: `Bill of Supply ${invoice.invoiceNumber}`, paper: 'A4' });

    const paid = k.ok('billing.recordPayment', { invoiceId: invoice.id, parts: [{ mode: 'cash', amountPaise: 50_000 }] }, k.reception);
    const rcptJob = k.ok('billing.printReceipt', { receiptNumber: paid.receiptNumber, printer: 'Microsoft Print to PDF' }, k.reception);
    expect(await k.app.jobs.wait(rcptJob.id)).toMatchObject({ status: 'done', result: { receiptNumber: paid.receiptNumber, printer: 'Microsoft Print to PDF' } });
    expect(spooler.sent[2]).toMatchObject({ printer: 'Microsoft Print to PDF', title: `Receipt ${paid.receiptNumber}`, paper: 'A5' });
    expect(spooler.sent).toHaveLength(3);
  });

  it("a spooler's refusal fails the print job with its message, and the prescription stays unlocked", async () => {
    const spooler = recordingSpooler([], 'No printer is installed on this computer. Use "Save as PDF" instead.');
    const k = deskWith(spooler);
    expect(k.ok('printers.list', {}, k.reception)).toEqual([]);
    const visitId = k.prescribed();
    const job = k.ok('prescriptions.print', { visitId }, k.rao);
    expect(await k.app.jobs.wait(job.id)).toMatchObject({ status: 'failed', message: 'No printer is installed on this computer. Use "Save as PDF" instead.' });
    expect(k.rxStatus(visitId)).toBe('draft');
    // "Save as PDF" never needs a printer.
    const pdf = k.ok('prescriptions.pdf', { visitId }, k.rao);
    expect(await k.app.jobs.wait(pdf.id)).toMatchObject({ status: 'done' });
    expect(spooler.sent).toHaveLength(1);
  });
});
