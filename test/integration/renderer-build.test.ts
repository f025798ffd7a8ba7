import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The production renderer, built afresh into a temporary folder: what index.html loads before the
// login page can show is small, pdf.js is only in the print page, the charts come with the screens
// that draw them, and the host has compressed copies of everything it serves.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** renderer.entry_js_gzip_kb's target (issue #20). */
const ENTRY_BUDGET_KB = 350;
/** Strings only pdf.js and recharts hold; the tests check they are found where those libraries are. */
const PDFJS = 'Invalid PDF structure';
const RECHARTS = 'recharts-';

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

let dir = '';
let out = '';
let manifest: Manifest = {};

/** The files an entry loads before it runs: itself and its static imports, transitively. */
function closure(key: string, seen = new Set<string>()): string[] {
  if (seen.has(key)) return [];
  seen.add(key);
  const chunk = manifest[key]!;
  return [chunk.file, ...(chunk.imports ?? []).flatMap((k) => closure(k, seen))];
}
const read = (file: string) => fs.readFileSync(path.join(out, file), 'utf8');
const jsFiles = () => fs.readdirSync(path.join(out, 'assets')).filter((f) => f.endsWith('.js')).map((f) => `assets/${f}`);

beforeAll(() => {
  // One build for every test here (tempDir would remove it after the first).
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-build-'));
  const built = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--outDir', dir, '--logLevel', 'error'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(built.status, built.stderr).toBe(0);
  out = path.join(dir, 'renderer');
  manifest = JSON.parse(fs.readFileSync(path.join(out, '.vite/manifest.json'), 'utf8')) as Manifest;
}, 180_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the production renderer build', () => {
  it('keeps what the login page loads under budget, minified', () => {
    const entry = closure('index.html');
    const gzipped = entry.reduce((sum, f) => sum + zlib.gzipSync(fs.readFileSync(path.join(out, f)), { level: 9 }).length, 0);
    expect(gzipped / 1024).toBeLessThanOrEqual(ENTRY_BUDGET_KB);
    // index.html loads exactly these (the module script and its modulepreloads).
    const html = read('index.html');
    for (const f of entry) expect(html).toContain(`./${f}`);
    // Minified: no indentation left in the app's own code.
    expect(read(manifest['index.html']!.file)).not.toMatch(/\n {2}\S/);
  });

  it('keeps pdf.js out of the login page: the print page has it, the doctor preview loads it on demand', () => {
    const print = closure('print.html');
    expect(print.some((f) => read(f).includes(PDFJS))).toBe(true);
    const entry = closure('index.html');
    expect(entry.filter((f) => read(f).includes(PDFJS))).toEqual([]);
    // And the app's entry shares nothing with the print page but the bundler's tiny module runtime
    // (there since the preview's page drawing is shared by both).
    expect(entry.filter((f) => print.includes(f) && !/rolldown-runtime-/.test(f))).toEqual([]);
  });

  it('loads the reports and the doctor (with their charts) on demand, not with the login page', () => {
    const entry = closure('index.html');
    expect(entry.filter((f) => read(f).includes(RECHARTS))).toEqual([]);
    const lazy = (manifest['index.html']!.dynamicImports ?? []).map((k) => manifest[k]!.file);
    for (const screen of ['ReportsScreen', 'DoctorScreen', 'BillingScreen', 'FacilityScreen', 'BackupsScreen', 'SyncScreen']) {
      expect(lazy.some((f) => path.basename(f).startsWith(`${screen}-`)), screen).toBe(true);
    }
    expect(jsFiles().some((f) => read(f).includes(RECHARTS))).toBe(true);
  });

  it('writes brotli and gzip copies that hold exactly each file', () => {
    for (const f of [...closure('index.html'), 'index.html', ...(manifest['index.html']!.css ?? [])]) {
      const body = fs.readFileSync(path.join(out, f));
      expect(zlib.brotliDecompressSync(fs.readFileSync(path.join(out, `${f}.br`))).equals(body), f).toBe(true);
      expect(zlib.gunzipSync(fs.readFileSync(path.join(out, `${f}.gz`))).equals(body), f).toBe(true);
    }
  });
});
