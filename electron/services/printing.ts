import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';

/**
 * Sending a finished PDF to a printer through the operating system. A `Spooler` is this
 * workstation's way to the printers: CUPS `lp` on Linux and macOS (the default, below), and on
 * Windows, or wherever `lp` is missing, Electron's own print path (electron/print-window.ts).
 * Everything that lists printers or prints uses `ctx.spooler`, never CUPS directly.
 */
export interface PrintResult {
  printer: string;
  /** The spooler's id for the job, e.g. "PDF-12" (null where the OS gives none). */
  jobId: string | null;
}

export interface PrinterInfo {
  name: string;
  isDefault: boolean;
}

export type { Paper } from '../../shared/paper';
import type { Paper } from '../../shared/paper';

export interface Spooler {
  /**
   * The printers to choose from. Synchronous because API methods answer inside one database
   * transaction; a spooler whose OS answers asynchronously keeps a list it refreshes.
   */
  list(): PrinterInfo[];
  /** Resolves once the OS accepted the job; rejects with a message a receptionist can act on. */
  print(pdf: Buffer, printer: string | null, title: string, paper: Paper | null): Promise<PrintResult>;
}

export function listPrinters(): PrinterInfo[] {
  const list = spawnSync('lpstat', ['-e'], { encoding: 'utf8', timeout: 5_000 });
  if (list.error || list.status !== 0) return [];
  const def = spawnSync('lpstat', ['-d'], { encoding: 'utf8', timeout: 5_000 });
  const defaultName = /:\s*(\S+)\s*$/.exec(def.stdout ?? '')?.[1] ?? null;
  return list.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((name) => ({ name, isDefault: name === defaultName }));
}

/**
 * Job options for `lp`: the paper the PDF was laid out for (else CUPS assumes its default, A4, and
 * an A5 prescription comes out centred on an A4 sheet), and, for printers CUPS feeds PostScript,
 * Poppler's Cairo renderer: Ghostscript's ps2write (the default) turns the embedded fonts into
 * Type 3 glyph procedures without their characters. Options a printer's filters do not use are ignored.
 */
export function printOptions(paper: Paper | null): string[] {
  return [...(paper ? ['-o', `media=${paper}`] : []), '-o', 'pdftops-renderer=pdftocairo'];
}

export function sendToPrinter(pdf: Buffer, printer: string | null, title: string, paper: Paper | null = null): Promise<PrintResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-print-'));
  const file = path.join(dir, 'document.pdf');
  fs.writeFileSync(file, pdf, { mode: 0o600 });
  const args = [...(printer ? ['-d', printer] : []), ...printOptions(paper), '-t', title, file];
  return new Promise((resolve, reject) => {
    const child = spawn('lp', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      fs.rmSync(dir, { recursive: true, force: true });
      reject(new Error(`Printing is not available on this computer (${e.message}). Use "Save as PDF" instead.`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      fs.rmSync(dir, { recursive: true, force: true });
      if (code !== 0) return reject(new Error(`The printer refused the job: ${err.trim() || `lp exited with ${code}`}`));
      const m = /request id is (\S+)/.exec(out);
      resolve({ printer: printer ?? (m?.[1]?.replace(/-\d+$/, '') ?? 'default'), jobId: m?.[1] ?? null });
    });
  });
}

/** Today's behaviour and the default: CUPS does the printing from the PDF itself. */
export const cupsSpooler: Spooler = {
  list: listPrinters,
  print: (pdf, printer, title, paper) => sendToPrinter(pdf, printer, title, paper),
};


export type SpoolerKind = 'cups' | 'electron';

/**
 * Windows has no `lp`. Elsewhere CUPS is preferred while `lp` is there: it prints the PDF itself
 * (text stays text); Electron's path prints pictures of the pages, so it is the fallback. An
 * explicit choice (CLINIC_SPOOLER) wins, except CUPS where there is no `lp` to run.
 */
export function chooseSpooler(platform: NodeJS.Platform, hasLp: boolean, override?: string): SpoolerKind {
  if (override === 'electron') return 'electron';
  if (override === 'cups' && hasLp) return 'cups';
  if (platform === 'win32') return 'electron';
  return hasLp ? 'cups' : 'electron';
}

/** The executable `command` on PATH, or null; looked up without running it (`lp` alone would print stdin). */
export function commandOnPath(command: string, pathVariable: string | undefined = process.env.PATH): string | null {
  for (const dir of (pathVariable ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, command);
    try {
      if (fs.statSync(file).isFile()) {
        fs.accessSync(file, fs.constants.X_OK);
        return file;
      }
    } catch {
      // not here (or not executable): keep looking
    }
  }
  return null;
}

/** A printer as an OS print API reports it (Electron's PrinterInfo has this shape). */
export interface OsPrinter {
  name: string;
  options?: object;
}

/**
 * Electron's PrinterInfo lost its isDefault flag; where the platform still says which printer is
 * the default it does so in `options`, under a name that differs by OS. Unknown means not marked.
 */
export function printersFromOs(list: readonly OsPrinter[]): PrinterInfo[] {
  return list.map((p) => {
    const options = new Map(Object.entries(p.options ?? {}));
    const flag = (key: string) => String(options.get(key)).toLowerCase() === 'true';
    return { name: p.name, isDefault: flag('printer-is-default') || flag('is-default') || flag('isDefault') };
  });
}

/** Why a job for `printer` cannot go out, or null when it can (null = the OS default printer). */
export function missingPrinter(list: readonly PrinterInfo[], printer: string | null): string | null {
  if (list.length === 0) return 'No printer is installed on this computer. Use "Save as PDF" instead.';
  if (printer !== null && !list.some((p) => p.name === printer)) {
    return `The printer "${printer}" is not installed on this computer. Choose another printer, or use "Save as PDF".`;
  }
  return null;
}

/**
 * The printer list of an OS that answers asynchronously (Electron's getPrintersAsync), kept so
 * `list()` can answer at once: a stale list is returned while a fresh one is fetched.
 */
export class PrinterList {
  private printers: PrinterInfo[] = [];
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private pending: Promise<PrinterInfo[]> | null = null;

  constructor(
    private readonly fetch: () => Promise<PrinterInfo[]>,
    private readonly now: () => number = Date.now,
    private readonly maxAgeMs = 30_000,
  ) {}

  current(): PrinterInfo[] {
    if (this.now() - this.fetchedAt > this.maxAgeMs) void this.refresh();
    return this.printers;
  }

  /** Fetches now (one fetch at a time); a failed fetch keeps the last list. */
  refresh(): Promise<PrinterInfo[]> {
    this.pending ??= this.fetch()
      .then(
        (printers) => {
          this.printers = printers;
          this.fetchedAt = this.now();
          return printers;
        },
        () => this.printers,
      )
      .finally(() => {
        this.pending = null;
      });
    return this.pending;
  }
}

/** Page size for Electron's print: the named paper, else the PDF's own page in microns (its unit). */
export function printPageSize(paper: Paper | null, page: { widthPt: number; heightPt: number }): Paper | { width: number; height: number } {
  if (paper) return paper;
  const microns = (pt: number) => Math.round((pt / 72) * 25_400);
  return { width: microns(page.widthPt), height: microns(page.heightPt) };
}

/** Electron's failure reasons ("Print job canceled", "Invalid deviceName provided", ...) as the app says them. */
export function printFailureMessage(reason: string): string {
  if (/cancel/i.test(reason)) return 'The print was cancelled before it reached the printer.';
  return `The printer refused the job: ${reason.trim() || 'no reason given'}`;
}

/** How this workstation prints prescriptions: printer, paper and pad margins. */
export interface PrintSettings {
  printer: string | null;
  paper: Paper;
  letterhead: boolean;
  marginTopMm: number;
  marginLeftMm: number;
  language: 'en' | 'en+hi';
}

export const DEFAULT_PRINT: PrintSettings = { printer: null, paper: 'A5', letterhead: true, marginTopMm: 12, marginLeftMm: 12, language: 'en' };

export function getPrintSettings(sqlite: Database.Database): PrintSettings {
  const raw = sqlite.prepare("SELECT value FROM local_meta WHERE key = 'print.settings'").pluck().get() as string | undefined;
  return { ...DEFAULT_PRINT, ...(raw ? (JSON.parse(raw) as Partial<PrintSettings>) : {}) };
}

export function setPrintSettings(sqlite: Database.Database, patch: Partial<PrintSettings>): PrintSettings {
  const next = { ...getPrintSettings(sqlite), ...patch };
  sqlite.prepare("INSERT INTO local_meta (key, value) VALUES ('print.settings', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(JSON.stringify(next));
  return next;
}
