import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';

/**
 * Sending a finished PDF to a printer through the operating system: CUPS `lp` on Linux and macOS.
 * (Windows goes through Electron's own print path in the main process, not through here.)
 */
export interface PrintResult {
  printer: string;
  /** The spooler's id for the job, e.g. "PDF-12". */
  jobId: string | null;
}

export interface PrinterInfo {
  name: string;
  isDefault: boolean;
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
export function printOptions(paper: PrintSettings['paper'] | null): string[] {
  return [...(paper ? ['-o', `media=${paper}`] : []), '-o', 'pdftops-renderer=pdftocairo'];
}

export function sendToPrinter(pdf: Buffer, printer: string | null, title: string, paper: PrintSettings['paper'] | null = null): Promise<PrintResult> {
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

/** How this workstation prints prescriptions: printer, paper and pad margins. */
export interface PrintSettings {
  printer: string | null;
  paper: 'A4' | 'A5';
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
