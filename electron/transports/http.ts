import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { ClinicApp } from '../app';
import { HTTP_STATUS, type Result } from '../api/contract';
import { CONTENT_SECURITY_POLICY } from '../security';

export interface HttpTransportOptions {
  app: ClinicApp;
  /** The built renderer (out/renderer); null serves the API only. */
  rendererDir: string | null;
}

const MAX_BODY = 1024 * 1024;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

/**
 * The browser host: the same methods as the Electron transport at POST /api/<method>, a
 * server-sent event stream at GET /api/events, and the built renderer. Loopback only.
 */
export function createHttpTransport({ app, rendererDir }: HttpTransportOptions): http.Server {
  const streams = new Set<http.ServerResponse>();
  app.onEvent(({ event, payload }) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const res of streams) res.write(frame);
  });

  const server = http.createServer((req, res) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (!isLoopbackHost(req.headers.host)) return send(res, 421, { error: 'Use http://127.0.0.1' });
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/api/events' && req.method === 'GET') return events(req, res, url);
    if (url.pathname.startsWith('/api/')) return api(req, res, decodeURIComponent(url.pathname.slice(5)));
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'Method not allowed' });
    return serveStatic(res, url.pathname);
  });

  function api(req: http.IncomingMessage, res: http.ServerResponse, method: string) {
    res.setHeader('Cache-Control', 'no-store');
    if (req.method !== 'POST') return send(res, 405, { ok: false, error: { code: 'invalid_input', message: 'Use POST' } });
    const origin = req.headers.origin;
    if (origin && !isLoopbackHost(new URL(origin).host)) {
      return send(res, 403, { ok: false, error: { code: 'forbidden', message: 'Cross-origin calls are not allowed' } });
    }
    readBody(req)
      .then((body) => {
        let input: unknown;
        try {
          input = body.length === 0 ? undefined : JSON.parse(body);
        } catch {
          return send(res, 400, { ok: false, error: { code: 'invalid_input', message: 'The request body is not valid JSON.' } });
        }
        const result = app.router.call(method, input, bearer(req));
        return send(res, statusOf(result), result);
      })
      .catch((error: Error) => send(res, 413, { ok: false, error: { code: 'invalid_input', message: error.message } }));
  }

  function events(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    // EventSource cannot set headers, so the token may come as a query parameter.
    const token = bearer(req) ?? url.searchParams.get('token');
    const me = app.router.call('auth.me', {}, token);
    if (!me.ok) return send(res, statusOf(me), me);
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    streams.add(res);
    const keepAlive = setInterval(() => res.write(': ping\n\n'), 25_000);
    req.on('close', () => {
      clearInterval(keepAlive);
      streams.delete(res);
    });
  }

  function serveStatic(res: http.ServerResponse, pathname: string) {
    if (!rendererDir) return send(res, 404, { error: 'Not found' });
    const root = path.resolve(rendererDir);
    let file = path.resolve(root, '.' + path.posix.normalize(pathname));
    if (!file.startsWith(root + path.sep) && file !== root) return send(res, 404, { error: 'Not found' });
    if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      // Client-side routes fall back to the app shell; missing assets stay 404.
      if (path.extname(pathname)) return send(res, 404, { error: 'Not found' });
      file = path.join(root, 'index.html');
    }
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'Cache-Control': type.startsWith('text/html') ? 'no-cache' : 'public, max-age=3600',
    });
    fs.createReadStream(file).pipe(res);
  }

  server.on('close', () => {
    for (const res of streams) res.end();
    streams.clear();
  });
  return server;
}

function statusOf(result: Result<unknown>): number {
  return result.ok ? 200 : HTTP_STATUS[result.error.code];
}

function bearer(req: http.IncomingMessage): string | null {
  const h = req.headers.authorization;
  const m = h ? /^Bearer\s+(\S+)$/i.exec(h) : null;
  return m?.[1] ?? null;
}

/** Guards against DNS rebinding: only loopback names may address this server. */
function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.replace(/:\d+$/, '');
  return name === '127.0.0.1' || name === 'localhost' || name === '[::1]';
}

function send(res: http.ServerResponse, status: number, body: unknown) {
  if (res.headersSent) return res.end();
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('The request body is larger than 1 MB.'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
