import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { ClinicApp } from '../app';
import { HTTP_STATUS, type Result } from '../../shared/api';
import { CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY } from '../security';
import type { AppEvent } from '../services/events';
import { chooseEncoding, CompressedCopies, isCompressible } from './compression';

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

/** How often an open event stream re-checks its session when no event comes (expiry, lock). */
const STREAM_CHECK_MS = 15_000;
/** How long a stream ticket may wait to be used; it opens one stream, once. */
const TICKET_MS = 30_000;
const MAX_TICKETS = 1_000;

class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The browser host: the same methods as the Electron transport at POST /api/<method>, a
 * server-sent event stream at GET /api/events, and the built renderer. Loopback only, and only
 * for the app's own pages: a request from any other origin (another site, or another program's
 * page on this computer) is refused, and calls must be JSON, which a plain HTML form cannot send.
 */
// Long by design: the open event streams are this closure, shared by the request handler, its origin/content checks and the event delivery.
export function createHttpTransport({ app, rendererDir }: HttpTransportOptions): http.Server {
  const streams = new Map<http.ServerResponse, string>();
  const tickets = new StreamTickets();
  const compressed = new CompressedCopies();
  const endStream = (res: http.ServerResponse, reason: string) => {
    streams.delete(res);
    res.end(`event: ended\ndata: ${JSON.stringify({ reason })}\n\n`);
  };
  const deliver = (res: http.ServerResponse, token: string, event: AppEvent) => {
    const decision = app.eventFor(token, event);
    if ('end' in decision) endStream(res, decision.end);
    else if ('send' in decision) res.write(`event: ${decision.send.event}\ndata: ${JSON.stringify(decision.send.payload)}\n\n`);
  };
  app.onEvent((event) => {
    for (const [res, token] of streams) deliver(res, token, event);
  });

  const server = http.createServer((req, res) => {
    try {
      route(req, res);
    } catch (error) {
      // Whatever a request holds, it gets an answer and the host stays up.
      const status = error instanceof RequestError ? error.status : 400;
      send(res, status, { ok: false, error: { code: 'invalid_input', message: error instanceof RequestError ? error.message : 'The request could not be read.' } });
    }
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  function route(req: http.IncomingMessage, res: http.ServerResponse) {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    if (!isLoopbackHost(req.headers.host)) return send(res, 421, { error: 'Use http://127.0.0.1' });
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/api/')) {
      res.setHeader('Cache-Control', 'no-store');
      const refusal = foreignCaller(req);
      if (refusal) return send(res, 403, { ok: false, error: { code: 'forbidden', message: refusal } });
      if (url.pathname === '/api/events' && req.method === 'GET') return events(req, res, url);
      if (url.pathname === '/api/events' && req.method === 'POST') return ticket(req, res);
      return api(req, res, methodName(url.pathname));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'Method not allowed' });
    return serveStatic(req, res, url.pathname);
  }

  function api(req: http.IncomingMessage, res: http.ServerResponse, method: string) {
    if (req.method !== 'POST') return send(res, 405, { ok: false, error: { code: 'invalid_input', message: 'Use POST' } });
    if (!isJson(req.headers['content-type'])) {
      return send(res, 415, { ok: false, error: { code: 'invalid_input', message: 'Send the call as JSON (Content-Type: application/json).' } });
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY) return tooLarge(req, res);
    readBody(req).then(
      (body) => {
        if (body === null) return tooLarge(req, res);
        let input: unknown;
        try {
          input = body.length === 0 ? undefined : JSON.parse(body);
        } catch {
          return send(res, 400, { ok: false, error: { code: 'invalid_input', message: 'The request body is not valid JSON.' } });
        }
        try {
          const result = app.router.call(method, input, bearer(req));
          return send(res, statusOf(result), result);
        } catch {
          // The router answers every refusal as a value; this is the database failing under it.
          return send(res, 500, { ok: false, error: { code: 'internal', message: 'Something went wrong; nothing was saved. Please try again.' } });
        }
      },
      () => send(res, 400, { ok: false, error: { code: 'invalid_input', message: 'The request body could not be read.' } }),
    );
  }

  /**
   * A one-time ticket for opening the event stream. EventSource cannot send headers, and a session
   * token in an address can end up in logs and histories; a ticket there is worth nothing once used
   * or after 30 s.
   */
  function ticket(req: http.IncomingMessage, res: http.ServerResponse) {
    if (!isJson(req.headers['content-type'])) {
      return send(res, 415, { ok: false, error: { code: 'invalid_input', message: 'Send the call as JSON (Content-Type: application/json).' } });
    }
    const token = bearer(req);
    const me = app.router.call('auth.me', {}, token);
    if (!me.ok || !token) return send(res, me.ok ? 401 : statusOf(me), me);
    req.resume();
    return send(res, 200, { ok: true, value: { ticket: tickets.issue(token) } });
  }

  function events(req: http.IncomingMessage, res: http.ServerResponse, url: URL) {
    const offered = url.searchParams.get('ticket');
    const token = bearer(req) ?? (offered === null ? null : tickets.redeem(offered));
    const me = app.router.call('auth.me', {}, token);
    if (!me.ok || !token) return send(res, me.ok ? 401 : statusOf(me), me);
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    streams.set(res, token);
    // The session is checked again even when nothing happens, so an idle or locked desk's stream ends.
    const check = setInterval(() => {
      const decision = app.eventFor(token, { event: 'changed', payload: { tables: [] } });
      if ('end' in decision) endStream(res, decision.end);
      else res.write(': ping\n\n');
    }, STREAM_CHECK_MS);
    req.on('close', () => {
      clearInterval(check);
      streams.delete(res);
    });
  }

  function serveStatic(req: http.IncomingMessage, res: http.ServerResponse, pathname: string) {
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
    const stat = fs.statSync(file);
    const etag = `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
    const headers: http.OutgoingHttpHeaders = {
      'Content-Type': type,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'Permissions-Policy': PERMISSIONS_POLICY,
      'Cache-Control': cacheControl(root, file, type),
      ETag: etag,
      'Last-Modified': stat.mtime.toUTCString(),
    };
    const compressible = isCompressible(file);
    // Caches must keep the compressed and the plain answer apart.
    if (compressible) headers.Vary = 'Accept-Encoding';
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      return res.end();
    }
    const encoding = compressible ? chooseEncoding(req.headers['accept-encoding']) : null;
    if (!encoding) {
      res.writeHead(200, { ...headers, 'Content-Length': stat.size });
      return fs.createReadStream(file).pipe(res);
    }
    compressed.get(file, stat, encoding).then(
      (body) => {
        res.writeHead(200, { ...headers, 'Content-Encoding': encoding, 'Content-Length': body.length });
        res.end(body);
      },
      () => send(res, 500, { error: 'The file could not be read.' }),
    );
  }

  server.on('close', () => {
    for (const res of streams.keys()) res.end();
    streams.clear();
  });
  return server;
}

/** Stream tickets: random, single use, short-lived, and never more than MAX_TICKETS waiting. */
class StreamTickets {
  private readonly waiting = new Map<string, { token: string; until: number }>();

  issue(token: string): string {
    const now = Date.now();
    for (const [t, w] of this.waiting) if (w.until < now || this.waiting.size >= MAX_TICKETS) this.waiting.delete(t);
    const ticket = randomBytes(24).toString('base64url');
    this.waiting.set(ticket, { token, until: now + TICKET_MS });
    return ticket;
  }

  redeem(ticket: string): string | null {
    const w = this.waiting.get(ticket);
    this.waiting.delete(ticket);
    return w && w.until >= Date.now() ? w.token : null;
  }
}

/** Vite names what it builds into assets/ by content hash: such a file never changes, a new build makes a new name. */
const HASHED_ASSET = /-[\w-]{8}\.[a-z0-9]+$/i;

/**
 * Hashed assets may be kept for a year without asking again; pages (which name the current
 * assets) are asked about every time, answered 304 when unchanged.
 */
function cacheControl(root: string, file: string, type: string): string {
  if (type.startsWith('text/html')) return 'no-cache';
  const inAssets = path.relative(root, file).split(path.sep)[0] === 'assets';
  return inAssets && HASHED_ASSET.test(path.basename(file)) ? 'public, max-age=31536000, immutable' : 'public, max-age=3600';
}

/**
 * Why a request does not come from the app's own pages, or null. A browser names the page that
 * sent a request in Origin (always on POST) and in Sec-Fetch-Site: another port on 127.0.0.1 is
 * another site's page as far as the clinic is concerned. Requests with neither come from programs
 * (tests, scripts on this computer), which the loopback binding already limits to this machine.
 */
function foreignCaller(req: http.IncomingMessage): string | null {
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host}`) return 'Calls from other pages are not allowed.';
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return 'Calls from other pages are not allowed.';
  return null;
}

function methodName(pathname: string): string {
  try {
    return decodeURIComponent(pathname.slice('/api/'.length));
  } catch {
    throw new RequestError(400, 'The method name in the address is not valid.');
  }
}

function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/** Answers 413 and closes the connection after the answer, reading no more of the body. */
function tooLarge(req: http.IncomingMessage, res: http.ServerResponse) {
  if (res.headersSent) return;
  const text = JSON.stringify({ ok: false, error: { code: 'invalid_input', message: 'The request is larger than 1 MB.' } });
  res.writeHead(413, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), Connection: 'close' });
  res.end(text, () => req.destroy());
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

/** The body as text, or null when it grows past MAX_BODY (the rest is left unread). */
function readBody(req: http.IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        req.off('data', onData);
        req.pause();
        resolve(null);
      } else chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
