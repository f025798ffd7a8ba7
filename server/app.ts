import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { Server, type Socket } from 'socket.io';
import { ZodError } from 'zod';
import {
  checksumRequest,
  devicesRequest,
  hello as helloSchema,
  PROTOCOL_VERSION,
  SIGNED_CHANGES_SINCE,
  pull as pullSchema,
  push as pushSchema,
  type Ack,
  type ChangeResult,
  type ChecksumReply,
  type DevicesReply,
  type Pulled,
  type Refusal,
  type Welcome,
} from '../shared/sync-protocol';
import type { OpenedServerDb } from './db/open';
import { listDevices, revokedBy } from './clinic-devices';
import { FailureLimiter } from './limiter';
import { ClinicPokes } from './clinic-pokes';
import { PushTurns, type Settled } from './push-queue';
import { firstKeys } from './signer-trust';
import { serveDeskRequests, type DeskRequestHandler } from './abdm/desk-requests';
import { serveAttachments } from './attachments';
import { ServerError, SyncStore, type Push } from './store';
import { serveUpdateFile } from './updates';

export interface SyncServerOptions {
  database: OpenedServerDb;
  /** Bearer token for the /admin endpoints (creating clinics and enrolment codes). */
  adminToken: string;
  minAppVersion?: string;
  now?: () => number;
  /** Fault injection for tests: runs after a push is committed, before it is acknowledged. */
  afterCommit?: (deviceId: string) => void;
  /**
   * The desktop app's update feed, served read-only at GET /updates/<file> (electron-builder's
   * generic-provider layout: latest*.yml, installers, .blockmap). Without it /updates/ is 404.
   */
  updatesDir?: string;
  /** How long a new enrolment code stays valid (default 1 hour; at most 24 hours). */
  enrolmentCodeTtlMs?: number;
  /** The ABDM bridge (server/abdm/bridge.ts): serves the gateway's callbacks; true when it answered. */
  abdm?: {
    handle(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<boolean>;
    /** A push was applied for this clinic (new care contexts to link: server/abdm/link.ts). */
    afterPush?: (clinicId: string) => void;
  };
  /** What desks ask of ABDM through the server (server/abdm/desk-requests.ts). */
  deskRequests?: DeskRequestHandler;
}

/** Wrong enrolment codes or administrator tokens: a few per minute from one address... */
const FAILURES_PER_ADDRESS = 5;
/** ...and not many more from all addresses together (an attacker can have many addresses). */
const FAILURES_IN_ALL = 30;
const FAILURE_WINDOW_MS = 60_000;
const DEFAULT_CODE_TTL_MS = 3600_000;
const MAX_CODE_TTL_MS = 24 * 3600_000;

interface DeviceSocketData {
  deviceId: string;
  clinicId: string;
}

type Ackable<T> = (reply: T) => void;

function refusal(error: unknown): Refusal {
  if (error instanceof ServerError) return { ok: false, code: error.code === 'not_found' ? 'invalid' : error.code, message: error.message };
  if (error instanceof ZodError) return { ok: false, code: 'invalid', message: `Malformed request: ${error.issues[0]?.message ?? 'invalid'}` };
  return { ok: false, code: 'invalid', message: 'The server could not handle this request; it will be retried.' };
}

/**
 * The central sync server: a small HTTP API (health, enrolment, clinic administration, the app's
 * update feed under /updates/) and the socket.io protocol of docs/SYNC.md. Devices of one clinic share
 * a room, so a push pokes the others.
 */
// Long by design: the sync store, HTTP server and socket.io server are this closure, shared by its HTTP routes and socket handlers.
export function createSyncServer(options: SyncServerOptions) {
  const store = new SyncStore(options.database.db, options.now);
  // A clinic's pushes in turns by device, applied in groups (server/push-queue.ts). A group whose
  // transaction fails is applied again push by push: one push's failure is never another's.
  const turns = new PushTurns<Push, ChangeResult[]>(async (pushes) => {
    try {
      return await store.applyPushes(pushes);
    } catch (error) {
      if (pushes.length === 1) return [{ ok: false, error }];
      const outcomes: Settled<ChangeResult[]>[] = [];
      for (const push of pushes) outcomes.push(...(await store.applyPushes([push]).catch((e: unknown) => [{ ok: false as const, error: e }])));
      return outcomes;
    }
  });
  const pokes = new ClinicPokes((clinicId, pushers) => {
    const room = io.to(`clinic:${clinicId}`);
    const only = pushers.size === 1 ? [...pushers][0]! : null;
    (only === null ? room : room.except(`device:${only}`)).emit('poke');
    options.database.notifier.publish(clinicId);
    options.abdm?.afterPush?.(clinicId);
  });
  const perAddress = new FailureLimiter(FAILURES_PER_ADDRESS, FAILURE_WINDOW_MS, options.now);
  const inAll = new FailureLimiter(FAILURES_IN_ALL, FAILURE_WINDOW_MS, options.now);
  const codeTtlMs = Math.min(options.enrolmentCodeTtlMs ?? DEFAULT_CODE_TTL_MS, MAX_CODE_TTL_MS);
  const httpServer = http.createServer((req, res) => void handleHttp(req, res));
  const io = new Server<Record<string, never>, Record<string, never>, Record<string, never>, Partial<DeviceSocketData>>(httpServer, {
    maxHttpBufferSize: 2 * 1024 * 1024,
    serveClient: false,
  });

  async function handleHttp(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    // Guessing codes or the administrator token: refused outright while an address (or everyone)
    // has failed too often, before the guess is even looked at.
    const address = `addr:${req.socket.remoteAddress ?? '?'}`;
    const guarded = url.pathname === '/enrol' || url.pathname.startsWith('/admin/');
    const wait = guarded ? Math.max(perAddress.waitSeconds(address), inAll.waitSeconds('all')) : 0;
    if (wait > 0) {
      return send(429, { ok: false, code: 'too_many_tries', message: `Too many wrong codes. Wait ${wait} seconds and try again.` }, { 'Retry-After': String(wait) });
    }
    const failed = () => {
      perAddress.fail(address);
      inAll.fail('all');
    };
    try {
      if (url.pathname === '/updates' || url.pathname.startsWith('/updates/')) {
        if (!options.updatesDir) return send(404, { ok: false, message: 'Not found' });
        return await serveUpdateFile(options.updatesDir, url.pathname.slice('/updates/'.length), req, res);
      }
      if (options.abdm && (await options.abdm.handle(req, res, url.pathname))) return;
      if (req.method === 'GET' && url.pathname === '/health') {
        return send(200, { ok: true, database: options.database.kind, devices: await store.deviceCount() });
      }
      const body = req.method === 'POST' ? await readJson(req) : {};
      if (req.method === 'POST' && url.pathname === '/enrol') {
        const { code, deviceId, seriesPrefix } = body as { code?: unknown; deviceId?: unknown; seriesPrefix?: unknown };
        if (typeof code !== 'string' || typeof deviceId !== 'string') return send(400, { ok: false, message: 'code and deviceId are required' });
        try {
          return send(200, { ok: true, ...(await store.enrol(code, deviceId, typeof seriesPrefix === 'string' ? seriesPrefix : undefined)) });
        } catch (error) {
          if (error instanceof ServerError && error.code === 'bad_credential') failed();
          throw error;
        }
      }
      if (url.pathname.startsWith('/admin/')) {
        if (!sameSecret(req.headers.authorization ?? '', `Bearer ${options.adminToken}`)) {
          failed();
          return send(401, { ok: false, message: 'Administrator token required' });
        }
        if (req.method === 'POST' && url.pathname === '/admin/clinics') {
          const { name } = body as { name?: unknown };
          if (typeof name !== 'string' || !name.trim()) return send(400, { ok: false, message: 'name is required' });
          return send(200, { ok: true, clinicId: await store.createClinic(name.trim()) });
        }
        const m = /^\/admin\/clinics\/([^/]+)\/enrolment-codes$/.exec(url.pathname);
        if (req.method === 'POST' && m) {
          const { deviceName } = body as { deviceName?: unknown };
          const code = await store.createEnrolmentCode(decodeURIComponent(m[1]!), typeof deviceName === 'string' && deviceName ? deviceName : 'Workstation', codeTtlMs);
          return send(200, { ok: true, code, expiresAt: (options.now ?? Date.now)() + codeTtlMs });
        }
      }
      return send(404, { ok: false, message: 'Not found' });
    } catch (error) {
      const r = refusal(error);
      return send(r.code === 'invalid' ? 400 : 403, r);
    }
  }

  // Pushes through other instances on the same database: poke the desks connected here.
  options.database.notifier.onRemote((clinicId) => io.to(`clinic:${clinicId}`).emit('poke'));

  // Long by design: one socket's table of events (hello, push, pull, devices, checksum, abdm), each a few lines calling out.
  io.on('connection', (socket: Socket<Record<string, never>, Record<string, never>, Record<string, never>, Partial<DeviceSocketData>>) => {
    socket.on('hello', async (raw: unknown, reply: Ackable<Welcome | Refusal>) => {
      try {
        const h = helloSchema.parse(raw);
        const tooOld = versionRefusal(h.protocol, h.appVersion, options.minAppVersion);
        if (tooOld) return reply(tooOld);
        const device = await store.authenticate(h.deviceId, h.clinicId, h.credential, h.appVersion);
        socket.data.deviceId = device.id;
        socket.data.clinicId = device.clinicId;
        // Its own room too, so a revocation can close this device's connections.
        await socket.join([`clinic:${device.clinicId}`, `device:${device.id}`]);
        reply({ ok: true, serverTime: (options.now ?? Date.now)(), serverCursor: await store.cursorOf(device.clinicId), minAppVersion: options.minAppVersion && compareVersions(options.minAppVersion, SIGNED_CHANGES_SINCE) > 0 ? options.minAppVersion : SIGNED_CHANGES_SINCE, seriesPrefix: device.seriesPrefix });
      } catch (error) {
        reply(refusal(error));
      }
    });

    const authed = () => {
      const { deviceId, clinicId } = socket.data;
      if (!deviceId || !clinicId) throw new ServerError('unknown_device', 'Say hello first.');
      return { deviceId, clinicId };
    };

    socket.on('push', async (raw: unknown, reply: Ackable<Ack>) => {
      try {
        const { deviceId, clinicId } = authed();
        const { changes } = pushSchema.parse(raw);
        const device = await store.authenticateForPush(deviceId, clinicId, changes);
        const results = await turns.run(clinicId, deviceId, { device, changes }, changes.length);
        options.afterCommit?.(deviceId);
        reply({ ok: true, throughSeq: changes.reduce((m, c) => Math.max(m, c.seq), 0), results });
        // Committed: a workstation revoked by this push is cut off now (it is refused from here on).
        for (const revoked of revokedBy(changes, results)) io.in(`device:${revoked}`).disconnectSockets(true);
        if (results.some((r) => r.status === 'applied')) pokes.applied(clinicId, deviceId);
      } catch (error) {
        reply(refusal(error));
      }
    });

    socket.on('pull', async (raw: unknown, reply: Ackable<Pulled>) => {
      try {
        const { deviceId, clinicId } = authed();
        const p = pullSchema.parse(raw);
        // Revoked since its hello (e.g. through another server instance): nothing more for it.
        await store.authenticateKnown(deviceId, clinicId);
        reply({ ok: true, ...(await store.pull(clinicId, p.cursor, p.limit, p.table)) });
      } catch (error) {
        reply(refusal(error));
      }
    });

    socket.on('devices', async (raw: unknown, reply: Ackable<DevicesReply>) => {
      try {
        const { deviceId, clinicId } = authed();
        devicesRequest.parse(raw ?? {});
        await store.authenticateKnown(deviceId, clinicId);
        reply({ ok: true, devices: await listDevices(options.database.db, clinicId), firstKeys: await firstKeys(options.database.db, clinicId) });
      } catch (error) {
        reply(refusal(error));
      }
    });

    serveDeskRequests(socket, authed, (d, c) => store.authenticateKnown(d, c), options.deskRequests);
    serveAttachments(socket, authed, (d, c) => store.authenticateKnown(d, c), options.database.db);

    socket.on('checksum', async (raw: unknown, reply: Ackable<ChecksumReply>) => {
      try {
        const { clinicId } = authed();
        const { tables } = checksumRequest.parse(raw);
        const server = await store.checksums(clinicId);
        const mismatched = Object.keys(tables).filter((t) => server[t] && (server[t].count !== tables[t]!.count || server[t].hash !== tables[t]!.hash));
        reply({ ok: true, mismatched, server });
      } catch (error) {
        reply(refusal(error));
      }
    });
  });

  return {
    httpServer,
    io,
    store,
    listen(port: number, host = '127.0.0.1'): Promise<number> {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const a = httpServer.address();
          resolve(typeof a === 'object' && a ? a.port : port);
        });
      });
    },
    async close() {
      await io.close();
      httpServer.closeAllConnections();
    },
  };
}

/** Why a workstation's app is too old to sync, or null. */
function versionRefusal(protocol: number, appVersion: string, minAppVersion: string | undefined): Refusal | null {
  if (protocol !== PROTOCOL_VERSION) return { ok: false, code: 'app_too_old', message: 'Update the app: it speaks an older sync protocol.' };
  if (minAppVersion && compareVersions(appVersion, minAppVersion) < 0) {
    return { ok: false, code: 'app_too_old', message: `Update the app to ${minAppVersion} or later to sync.` };
  }
  // A build from before signed changes would push work in people's names unsigned.
  if (compareVersions(appVersion, SIGNED_CHANGES_SINCE) < 0) {
    return { ok: false, code: 'app_too_old', message: `Update this workstation to ${SIGNED_CHANGES_SINCE} or later to sync: changes are now signed by the person who made them.` };
  }
  return null;
}

/** Compares a presented secret with the expected one in constant time (no timing hints). */
function sameSecret(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function readJson(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
      if (body.length > 1_000_000) req.destroy();
    });
    req.on('end', () => {
      try {
        resolve(body ? (JSON.parse(body) as unknown) : {});
      } catch {
        reject(new ServerError('invalid', 'The body is not valid JSON'));
      }
    });
    req.on('error', reject);
  });
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
