import { BrowserWindow, type BrowserWindowConstructorOptions, type WebContents } from 'electron';
import { parseRendered, renderExpression, type RenderedPdf } from '../shared/print-protocol';
import {
  missingPrinter,
  PrinterList,
  printersFromOs,
  printFailureMessage,
  printPageSize,
  type Paper,
  type PrinterInfo,
  type PrintResult,
  type Spooler,
} from './services/printing';
import { LOCKED_DOWN, lockNavigation } from './security';

/**
 * The spooler for Windows (and wherever CUPS `lp` is missing): Electron's own print path. A PDF
 * cannot be handed to webContents.print, so a hidden window opens the print page
 * (renderer/print.html), which draws every page with pdf.js as an image on a sheet of the PDF's
 * size; then the window is printed silently to the chosen printer. Electron-only and kept thin:
 * the page, the protocol and the decisions (printer check, paper, messages) are tested without it.
 */

export interface ElectronSpoolerOptions {
  /** Loads the built print page into the window (the file, or the dev server's page). */
  loadPrintPage: (win: BrowserWindow) => Promise<void>;
  /** A live window's webContents to ask for the printers (Electron has no app-wide call). */
  printersFrom: () => WebContents | null;
  /** How long one print may take, from opening the page to the OS accepting the job. */
  timeoutMs?: number;
}

export interface ElectronSpooler extends Spooler {
  /** Asks the OS for its printers now (at start, so the first printers.list is not empty). */
  refresh(): Promise<PrinterInfo[]>;
}

/** Hidden and as locked down as the app's window, without a preload: the page gets no API at all. */
export function printWindowOptions(): BrowserWindowConstructorOptions {
  return {
    show: false,
    width: 800,
    height: 1000,
    webPreferences: {
      ...LOCKED_DOWN,
      spellcheck: false,
      // A hidden window is throttled otherwise, and rendering should not wait for it to be shown.
      backgroundThrottling: false,
    },
  };
}

function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function printIn(win: BrowserWindow, options: ElectronSpoolerOptions, pdf: Buffer, printer: string | null, title: string, paper: Paper | null): Promise<PrintResult> {
  const contents = win.webContents;
  // No page at all: the print page is loaded by the main process, which will-navigate never sees,
  // and it has no reason to navigate, redirect or open a window itself.
  lockNavigation(contents, []);

  // Checked first: Electron's own answer to an unknown printer is an opaque "Invalid deviceName".
  const printers = printersFromOs(await contents.getPrintersAsync());
  const missing = missingPrinter(printers, printer);
  if (missing) throw new Error(missing);

  let rendered: RenderedPdf;
  try {
    await options.loadPrintPage(win);
    rendered = parseRendered(await contents.executeJavaScript(renderExpression(pdf.toString('base64'), title), true));
  } catch (error) {
    throw new Error(`The document could not be prepared for printing (${reason(error)}). Use "Save as PDF" instead.`);
  }
  const first = rendered.pages[0]!;
  await new Promise<void>((resolve, reject) => {
    contents.print(
      {
        silent: true,
        ...(printer ? { deviceName: printer } : {}),
        pageSize: printPageSize(paper, first),
        margins: { marginType: 'none' },
        printBackground: true,
      },
      (success, failureReason) => (success ? resolve() : reject(new Error(printFailureMessage(failureReason)))),
    );
  });
  return { printer: printer ?? printers.find((p) => p.isDefault)?.name ?? 'the default printer', jobId: null };
}

export function createElectronSpooler(options: ElectronSpoolerOptions): ElectronSpooler {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const printers = new PrinterList(async () => {
    const contents = options.printersFrom();
    if (!contents || contents.isDestroyed()) throw new Error('no window to ask for printers');
    return printersFromOs(await contents.getPrintersAsync());
  });
  return {
    list: () => printers.current(),
    refresh: () => printers.refresh(),
    async print(pdf, printer, title, paper) {
      const win = new BrowserWindow(printWindowOptions());
      try {
        return await withTimeout(
          printIn(win, options, pdf, printer, title, paper),
          timeoutMs,
          `The printer did not take the job within ${Math.round(timeoutMs / 1000)} seconds. Check that it is switched on, or use "Save as PDF".`,
        );
      } finally {
        // destroy, not close: nothing on the page may keep the window (or the job) alive.
        if (!win.isDestroyed()) win.destroy();
      }
    },
  };
}
