import crypto from 'node:crypto';
import http from 'node:http';
import type { ClinicApp } from '../app';
import { facility } from '../../db/schema';
import { localDate } from '../../shared/clinic-time';
import { getDisplaySettings, waitingRoomBoard, type Board } from '../services/waiting-room';
import { DISPLAY_CSS, DISPLAY_HTML, DISPLAY_JS } from './display-page';

/**
 * The waiting-room display's own small HTTP server, apart from the app's API on purpose: it
 * listens on the clinic network (a TV must reach it) and so answers only three GETs, each with the
 * display key, and knows nothing but the board. No session, no method, no patient's name. It is
 * read-only by construction: nothing it calls writes.
 */
export interface DisplayServerOptions {
  app: Pick<ClinicApp, 'database' | 'onEvent'>;
  timeZone: string;
  now?: () => number;
  /** How often a stream gets the board again without a change (waiting times, a new day). */
  refreshMs?: number;
}

export interface DisplayServer {
  server: http.Server;
  /** Ends the open streams (a TV keeps its stream open for ever) and stops listening. */
  stop(): Promise<void>;
}

const MAX_STREAMS = 32;
const BOARD_TABLES = new Set(['visits', 'patients', 'users']);
const PAGE_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
};

function sameKey(given: string | null, key: string): boolean {
  if (!given || !key) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(key);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

// Long by design: the handler and the open streams share this closure (the key is checked per request and per push).
export function createDisplayServer({ app, timeZone, now = Date.now, refreshMs = 30_000 }: DisplayServerOptions): DisplayServer {
  // Read afresh each time: restoring a backup reopens the database behind the same app object.
  const db = () => app.database.db;
  /** Each open stream and the key it was opened with. */
  const streams = new Map<http.ServerResponse, string>();
  const board = (): Board => waitingRoomBoard(db(), localDate(now(), timeZone), db().select({ name: facility.name }).from(facility).get()?.name ?? '', timeZone);
  const push = () => {
    if (streams.size === 0) return;
    const settings = getDisplaySettings(db());
    for (const [res, key] of streams) {
      // A key changed or the display turned off ends every stream opened with the old one.
      if (!settings.enabled || !sameKey(key, settings.key)) {
        streams.delete(res);
        res.end('event: ended\ndata: {}\n\n');
      }
    }
    if (streams.size === 0) return;
    const data = `event: board\ndata: ${JSON.stringify(board())}\n\n`;
    for (const res of streams.keys()) res.write(data);
  };
  let pending: NodeJS.Timeout | null = null;
  const unsubscribe = app.onEvent((event) => {
    if (event.event !== 'changed') return;
    const { tables } = event.payload as { tables: string[] };
    if (!tables.some((t) => BOARD_TABLES.has(t)) || pending) return;
    pending = setTimeout(() => {
      pending = null;
      push();
    }, 200);
  });
  const refresh = setInterval(push, refreshMs);
  refresh.unref();

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://display.invalid');
    const text = (status: number, body: string) => res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...PAGE_HEADERS }).end(body);
    if (req.method !== 'GET') return void text(405, 'The waiting-room display only shows; it takes nothing.');
    const settings = getDisplaySettings(db());
    if (!settings.enabled) return void text(404, 'The waiting-room display is turned off.');
    if (url.pathname === '/display.css') return void res.writeHead(200, { 'Content-Type': 'text/css; charset=utf-8', ...PAGE_HEADERS }).end(DISPLAY_CSS);
    if (url.pathname === '/display.js') return void res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', ...PAGE_HEADERS }).end(DISPLAY_JS);
    const key = url.searchParams.get('key');
    if (!['/display', '/display/board', '/display/stream'].includes(url.pathname)) return void text(404, 'Not found.');
    if (!sameKey(key, settings.key)) return void text(403, 'This display link is not valid (ask the administrator for the current link).');
    if (url.pathname === '/display') return void res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...PAGE_HEADERS }).end(DISPLAY_HTML);
    if (url.pathname === '/display/board') return void res.writeHead(200, { 'Content-Type': 'application/json', ...PAGE_HEADERS }).end(JSON.stringify(board()));
    if (streams.size >= MAX_STREAMS) return void text(503, 'Too many displays are open.');
    res.writeHead(200, { 'Content-Type': 'text/event-stream', Connection: 'keep-alive', ...PAGE_HEADERS });
    streams.set(res, key ?? '');
    res.write(`event: board\ndata: ${JSON.stringify(board())}\n\n`);
    req.on('close', () => streams.delete(res));
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  // Anyone on the clinic network can connect: a bounded number of sockets, and headers promptly.
  server.maxConnections = MAX_STREAMS * 2;
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  const stop = () =>
    new Promise<void>((resolve) => {
      unsubscribe();
      clearInterval(refresh);
      if (pending) clearTimeout(pending);
      for (const res of streams.keys()) res.end();
      streams.clear();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { server, stop };
}
