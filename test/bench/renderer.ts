import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants as zlib } from 'node:zlib';
import { chromium, type Browser, type Page } from '@playwright/test';
import { round, type BenchContext } from './run';

/**
 * The renderer as a clinic's browser gets it:
 *   - sizes of the production build (built afresh, so the figures are the source's):
 *     renderer.entry_js_gzip_kb (the scripts index.html loads before anything shows: its module
 *     script and modulepreloads, gzipped), renderer.total_js_kb (every script built, raw, the print
 *     page's pdf.js included), renderer.css_gzip_kb (the stylesheets index.html loads, gzipped);
 *   - renderer.cold_usable_ms: Chromium, through Playwright, opens the browser host's login page
 *     in a new context (empty cache), logs in as a receptionist and waits until the reception
 *     search box is enabled and focused. Measured inside the page (performance.now()), as the
 *     time to a usable login form plus the time from pressing Enter to a usable search box; the
 *     few milliseconds Playwright spends typing are left out. renderer.cold_transfer_kb is what
 *     went over the wire for it (encoded bodies and headers, API calls included).
 *
 * BENCH_RENDERER_RUNS cold loads (default 7, the median reported); BENCH_RENDERER_NO_BUILD=1 measures
 * out/renderer as it is; CHROMIUM_PATH as for the end-to-end tests.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const OUT = path.join(ROOT, 'out', 'renderer');
const RECEPTIONIST = { username: 'rita', fullName: 'Rita Dsouza', password: 'rita-pass-1' };
const SEARCH_BOX = 'input[placeholder^="Name, mobile"]';

const kb = (bytes: number) => round(bytes / 1024, 1);
const gzipSize = (file: string) => gzipSync(fs.readFileSync(file), { level: zlib.Z_BEST_COMPRESSION }).length;

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** The scripts and stylesheets index.html makes the browser fetch before the app can start. */
export function initialAssets(outDir: string): { js: string[]; css: string[] } {
  const html = fs.readFileSync(path.join(outDir, 'index.html'), 'utf8');
  const refs = (re: RegExp) => [...html.matchAll(re)].map((m) => path.join(outDir, m[1]!.replace(/^\.?\//, '')));
  return {
    js: [...refs(/<script[^>]*type="module"[^>]*src="([^"]+)"/g), ...refs(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)],
    css: refs(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g),
  };
}

function sizes({ report, log }: BenchContext) {
  const initial = initialAssets(OUT);
  const all = listFiles(OUT);
  const js = all.filter((f) => f.endsWith('.js'));
  const css = all.filter((f) => f.endsWith('.css'));
  const sum = (files: string[], size: (f: string) => number) => files.reduce((s, f) => s + size(f), 0);
  const raw = (f: string) => fs.statSync(f).size;
  log(`entry scripts: ${initial.js.map((f) => path.basename(f)).join(', ')}`);
  report({ name: 'renderer.entry_js_gzip_kb', value: kb(sum(initial.js, gzipSize)), unit: 'KB', files: initial.js.length, raw_kb: kb(sum(initial.js, raw)) });
  report({ name: 'renderer.total_js_kb', value: kb(sum(js, raw)), unit: 'KB', files: js.length, gzip_kb: kb(sum(js, gzipSize)) });
  report({ name: 'renderer.css_gzip_kb', value: kb(sum(initial.css, gzipSize)), unit: 'KB', files: initial.css.length, all_css_gzip_kb: kb(sum(css, gzipSize)) });
}

// ---------------------------------------------------------------------------------------------
// The browser host, set up as a clinic with a receptionist

async function startHost(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const { CLINIC_DB_KEY: _shellKey, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/host.ts'], {
    cwd: ROOT,
    env: { ...env, CLINIC_DATA_DIR: dataDir, CLINIC_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', () => reject(new Error(`host exited: ${out}`)));
  });
  return { url, child };
}

async function api(url: string, method: string, input: unknown, token?: string): Promise<{ ok: boolean; value?: { token?: string } }> {
  const res = await fetch(`${url}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(input),
  });
  return (await res.json()) as { ok: boolean; value?: { token?: string } };
}

async function setUpClinic(url: string) {
  const admin = { username: 'admin', fullName: 'Asha Sharma', password: 'correct horse battery' };
  const setup = await api(url, 'setup.initialize', { facility: { name: 'Sharma Clinic', address: '12 MG Road, Pune 411001', phone: '020 2555 1234' }, admin });
  if (!setup.ok) throw new Error('setup.initialize failed');
  const token = (await api(url, 'auth.login', { username: admin.username, password: admin.password })).value?.token;
  const staff = await api(url, 'staff.create', { ...RECEPTIONIST, roles: ['receptionist'] }, token);
  if (!staff.ok) throw new Error('staff.create failed');
}

// ---------------------------------------------------------------------------------------------
// One cold load: new context, empty cache

interface ColdLoad {
  loginReadyMs: number;
  loginToUsableMs: number;
  bytes: number;
  requests: number;
  encodings: Set<string>;
}

/**
 * Runs in every page before its own scripts (through the DevTools protocol, so the page's CSP,
 * which forbids eval, does not apply): each animation frame notes, once, when the login form's
 * username field is usable, when Enter is pressed, and then when the search box is usable.
 */
const MARKS = `(() => {
  const marks = (globalThis.__marks = {});
  const loginReady = () => [...document.querySelectorAll('input')].some((i) => !i.disabled && i.labels?.[0]?.textContent.startsWith('Username'));
  const searchReady = () => { const el = document.querySelector('${SEARCH_BOX}'); return el !== null && !el.disabled && document.activeElement === el; };
  const tick = () => {
    if (marks.loginReady === undefined && loginReady()) marks.loginReady = performance.now();
    if (marks.enter !== undefined && searchReady()) marks.usable = performance.now();
    if (marks.usable === undefined) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  addEventListener('keydown', (e) => { if (e.key === 'Enter' && marks.enter === undefined) marks.enter = performance.now(); }, true);
})();`;

interface Marks {
  loginReady?: number;
  enter?: number;
  usable?: number;
}

/** The page's marks once `done` holds for them (read every 20 ms; the marks themselves are exact to a frame). */
async function marksWhen(page: Page, done: (m: Marks) => boolean): Promise<Marks> {
  const until = Date.now() + 60_000;
  for (;;) {
    const marks = await page.evaluate<Marks>('globalThis.__marks ?? {}');
    if (done(marks)) return marks;
    if (Date.now() > until) throw new Error(`the page did not get there in 60 s: ${JSON.stringify(marks)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function coldLoad(browser: Browser, url: string): Promise<ColdLoad> {
  const context = await browser.newContext();
  await context.addInitScript({ content: MARKS });
  const page = await context.newPage();
  let bytes = 0;
  let requests = 0;
  const encodings = new Set<string>();
  const pending: Promise<void>[] = [];
  // Counted until the search box is usable; the event stream and later calls are not part of the load.
  let counting = true;
  page.on('requestfinished', (request) => {
    if (!counting) return;
    const encoding = request.url().includes('/api/') ? null : 'pending';
    pending.push(
      Promise.all([request.sizes(), request.response()]).then(
        ([s, response]) => {
          bytes += s.responseBodySize + s.responseHeadersSize;
          requests++;
          if (encoding) encodings.add(response?.headers()['content-encoding'] ?? 'identity');
        },
        () => undefined,
      ),
    );
  });
  try {
    await page.goto(url, { waitUntil: 'commit' });
    const { loginReady } = await marksWhen(page, (m) => m.loginReady !== undefined);
    await page.getByLabel('Username').fill(RECEPTIONIST.username);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(RECEPTIONIST.password);
    await page.getByRole('textbox', { name: 'Password', exact: true }).press('Enter');
    const { enter, usable } = await marksWhen(page, (m) => m.usable !== undefined);
    counting = false;
    await Promise.all(pending);
    return { loginReadyMs: loginReady!, loginToUsableMs: usable! - enter!, bytes, requests, encodings };
  } finally {
    await context.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function coldLoads({ report, log }: BenchContext) {
  const runs = Number(process.env.BENCH_RENDERER_RUNS ?? 7);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-bench-renderer-'));
  const { url, child } = await startHost(dataDir);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    await setUpClinic(url);
    // One load first so the browser process and the host are warm; the pages measured are still cold.
    await coldLoad(browser, url);
    const loads: ColdLoad[] = [];
    for (let i = 0; i < runs; i++) loads.push(await coldLoad(browser, url));
    const totals = loads.map((l) => l.loginReadyMs + l.loginToUsableMs);
    const load = os.loadavg()[0]!;
    log(`content encodings seen: ${[...new Set(loads.flatMap((l) => [...l.encodings]))].join(', ')}; load average ${load.toFixed(2)}`);
    report({ name: 'renderer.cold_usable_ms', value: round(median(totals), 0), unit: 'ms', n: runs, min: round(Math.min(...totals), 0), max: round(Math.max(...totals), 0), loadavg: round(load, 2) });
    report({ name: 'renderer.cold_login_ready_ms', value: round(median(loads.map((l) => l.loginReadyMs)), 0), unit: 'ms', n: runs });
    report({ name: 'renderer.login_to_usable_ms', value: round(median(loads.map((l) => l.loginToUsableMs)), 0), unit: 'ms', n: runs });
    report({ name: 'renderer.cold_transfer_kb', value: kb(median(loads.map((l) => l.bytes))), unit: 'KB', n: runs, requests: median(loads.map((l) => l.requests)) });
  } finally {
    await browser.close();
    child.kill('SIGTERM');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function bench(ctx: BenchContext) {
  if (process.env.BENCH_RENDERER_NO_BUILD !== '1') {
    ctx.log('building (electron-vite build)');
    const built = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (built.status !== 0) throw new Error('electron-vite build failed');
  }
  sizes(ctx);
  await coldLoads(ctx);
}
