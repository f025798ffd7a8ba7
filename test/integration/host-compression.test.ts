import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY } from '../../electron/security';
import { chooseEncoding } from '../../electron/transports/compression';
import { createHttpTransport } from '../../electron/transports/http';
import { makeClinic } from '../helpers/app';
import { tempDir } from '../helpers/temp';

// The browser host sends the built renderer compressed when the browser accepts it, with caching
// headers that let a browser keep hashed assets and always revalidate the page that names them.

const servers: http.Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

const SCRIPT = `export const screens = [${Array.from({ length: 400 }, (_, i) => `'screen number ${i}'`).join(', ')}];\n`;
const PAGE = `<!doctype html><title>Clinic</title><script type="module" src="./assets/index-Ab12_x-Z.js"></script>${' '.repeat(10)}\n`;

async function serve(files: Record<string, string>) {
  const rendererDir = tempDir();
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(rendererDir, name)), { recursive: true });
    fs.writeFileSync(path.join(rendererDir, name), text);
  }
  const server = createHttpTransport({ app: makeClinic().app, rendererDir });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, rendererDir };
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as sent, still compressed if it was. */
  raw: Buffer;
}

/** A GET with exactly these headers; fetch would add its own Accept-Encoding and decompress. */
function get(port: number, pathname: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathname, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, raw: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

function decoded(a: Answer): string {
  const encoding = a.headers['content-encoding'];
  if (encoding === 'br') return zlib.brotliDecompressSync(a.raw).toString('utf8');
  if (encoding === 'gzip') return zlib.gunzipSync(a.raw).toString('utf8');
  expect(encoding).toBeUndefined();
  return a.raw.toString('utf8');
}

function expectSecurityHeaders(a: Answer) {
  expect(a.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  expect(a.headers['permissions-policy']).toBe(PERMISSIONS_POLICY);
  expect(a.headers['x-content-type-options']).toBe('nosniff');
  expect(a.headers['x-frame-options']).toBe('DENY');
  expect(a.headers['referrer-policy']).toBe('no-referrer');
}

describe('the browser host compresses the renderer', () => {
  it('answers brotli, gzip or plain as the browser accepts, always the same file, with Vary and the security headers', async () => {
    const { port } = await serve({ 'index.html': PAGE, 'assets/index-Ab12_x-Z.js': SCRIPT });
    const cases: [string | undefined, string | undefined][] = [
      ['gzip, deflate, br, zstd', 'br'],
      ['gzip, deflate', 'gzip'],
      ['br;q=0, gzip;q=0.8', 'gzip'],
      ['*', 'br'],
      ['identity', undefined],
      ['gzip;q=0, br;q=0', undefined],
      [undefined, undefined],
    ];
    for (const [accept, expected] of cases) {
      const script = await get(port, '/assets/index-Ab12_x-Z.js', accept === undefined ? {} : { 'Accept-Encoding': accept });
      expect(script.status, accept).toBe(200);
      expect(script.headers['content-encoding'], accept).toBe(expected);
      expect(script.headers.vary, accept).toBe('Accept-Encoding');
      expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(Number(script.headers['content-length'])).toBe(script.raw.length);
      expect(decoded(script), accept).toBe(SCRIPT);
      if (expected) expect(script.raw.length, accept).toBeLessThan(Buffer.byteLength(SCRIPT) / 4);
      expectSecurityHeaders(script);
    }
    // The page itself, and a client-side route answered with it, are compressed too.
    for (const pathname of ['/', '/reception']) {
      const page = await get(port, pathname, { 'Accept-Encoding': 'gzip' });
      expect(page.headers['content-encoding'], pathname).toBe('gzip');
      expect(decoded(page)).toBe(PAGE);
      expectSecurityHeaders(page);
    }
  });

  it('lets browsers keep hashed assets for a year and always revalidate the page, answering 304 when unchanged', async () => {
    const { port } = await serve({ 'index.html': PAGE, 'assets/index-Ab12_x-Z.js': SCRIPT, 'assets/app.js': SCRIPT, 'favicon.svg': '<svg/>' });
    const hashed = await get(port, '/assets/index-Ab12_x-Z.js', { 'Accept-Encoding': 'br' });
    expect(hashed.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // No hash in the name: the same name may hold another build's file tomorrow.
    expect((await get(port, '/assets/app.js')).headers['cache-control']).toBe('public, max-age=3600');
    expect((await get(port, '/favicon.svg')).headers['cache-control']).toBe('public, max-age=3600');

    const page = await get(port, '/', { 'Accept-Encoding': 'br' });
    expect(page.headers['cache-control']).toBe('no-cache');
    const etag = page.headers.etag;
    expect(etag).toBeTruthy();
    const again = await get(port, '/', { 'Accept-Encoding': 'br', 'If-None-Match': etag! });
    expect(again.status).toBe(304);
    expect(again.raw.length).toBe(0);
    expectSecurityHeaders(again);
    // Another etag (an older build's page) gets the page again.
    expect((await get(port, '/', { 'If-None-Match': 'W/"0-0"' })).status).toBe(200);
  });

  it("sends the build's own compressed copy, and ignores one older than the file it stands for", async () => {
    const { port, rendererDir } = await serve({ 'index.html': PAGE, 'assets/index-Ab12_x-Z.js': SCRIPT });
    const file = path.join(rendererDir, 'assets/index-Ab12_x-Z.js');
    // A copy the build made at its best setting: recognisable by being exactly these bytes.
    const best = zlib.brotliCompressSync(Buffer.from(SCRIPT), { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } });
    fs.writeFileSync(`${file}.br`, best);
    const fromBuild = await get(port, '/assets/index-Ab12_x-Z.js', { 'Accept-Encoding': 'br' });
    expect(fromBuild.raw.equals(best)).toBe(true);

    // The file is rebuilt but its old copy is left behind: the copy is stale and must not be sent.
    const changed = SCRIPT.replace('screen number 1', 'screen number one');
    fs.writeFileSync(file, changed);
    const older = new Date(Date.now() - 60_000);
    fs.utimesSync(`${file}.br`, older, older);
    const rebuilt = await get(port, '/assets/index-Ab12_x-Z.js', { 'Accept-Encoding': 'br' });
    expect(decoded(rebuilt)).toBe(changed);
  });

  it('leaves what does not compress, and refusals, as they were', async () => {
    const { port } = await serve({ 'index.html': PAGE, 'assets/logo-Ab12_x-Z.png': 'not really a png' });
    const png = await get(port, '/assets/logo-Ab12_x-Z.png', { 'Accept-Encoding': 'br, gzip' });
    expect(png.headers['content-encoding']).toBeUndefined();
    expect(png.raw.toString()).toBe('not really a png');
    const missing = await get(port, '/assets/gone-Ab12_x-Z.js', { 'Accept-Encoding': 'br' });
    expect(missing.status).toBe(404);
    expect(missing.headers['content-encoding']).toBeUndefined();
  });
});

describe('Accept-Encoding', () => {
  it('prefers brotli, honours q=0 and the wildcard', () => {
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('GZIP')).toBe('gzip');
    expect(chooseEncoding('br;q=0,gzip')).toBe('gzip');
    expect(chooseEncoding('*;q=0, gzip')).toBe('gzip');
    expect(chooseEncoding('br;q=0, *')).toBe('gzip');
    expect(chooseEncoding('deflate')).toBeNull();
    expect(chooseEncoding('')).toBeNull();
    expect(chooseEncoding(undefined)).toBeNull();
  });
});
