import { sign } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { io as ioClient } from 'socket.io-client';
import { v4 as uuidv4 } from 'uuid';
import { expect, vi } from 'vitest';
import { AbhaService } from '../../server/abdm/abha';
import { createAbdmBridge } from '../../server/abdm/bridge';
import { createAbdmLinker, type AbdmLinker } from '../../server/abdm/link';
import type { OpenedServerDb } from '../../server/db/open';
import type { AbdmConfig } from '../../server/abdm/config';
import { createDeskRequests } from '../../server/abdm/desk-requests';
import { AbdmGatewayClient } from '../../server/abdm/gateway';
import type { MethodName } from '../../electron/api';
import { DESK_REQUEST_EVENT, deskRequestSigningText, type AbhaProfile, type DeskAnswer, type DeskKind, type DeskRequest } from '../../shared/abdm-desk';
import { PROTOCOL_VERSION } from '../../shared/sync-protocol';
import { credentialsOf, keyOf, setupClinic, STAFF, type Desk } from '../sync/harness';
import { startAbdmSim, type AbdmSimOptions } from './abdm-sim';
import { startSyncServer, type TestSyncServer } from './sync';

/**
 * The ABHA desk tests' common set-up (verification and creation): the ABDM simulator, the real
 * sync server (PGlite) asking it through a real AbhaService, a clinic on two desks, and the ways
 * to drive and attack the desk -> server channel.
 */
export const CLIENT_ID = 'SBX_0000412';
export const CLIENT_SECRET = 'c1ient-s3cret-never-logged';

export type JobResult = {
  ok: boolean;
  code?: string;
  message?: string;
  txnRef?: string;
  verificationId?: string;
  method?: string;
  profile?: AbhaProfile;
  done?: boolean;
  isNew?: boolean;
  needsMobileOtp?: boolean;
  suggestions?: string[];
};

/** Everything printed during a test, to show secrets never reach a log. */
export const logged: string[] = [];

/**
 * `linking`: the server also runs the ABDM bridge and the linking sweep against the simulator
 * (`linker()` sweeps on demand), for tests of what verification changes about linking.
 */
export async function abhaDeskSetup(sim: Pick<AbdmSimOptions, 'abhaAccounts' | 'aadhaarPeople'>, options: { linking?: boolean } = {}) {
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(' ')));
  const simulator = await startAbdmSim({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, ...sim });
  const clock = { shiftMs: 0 };
  const config: AbdmConfig = { gatewayUrl: simulator.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, cmId: 'sbx', hipId: 'IN2710001234', publicBaseUrl: 'https://clinic.example.in/abdm', abhaUrl: simulator.url };
  let linker: AbdmLinker | null = null;
  const server = await startSyncServer({
    deskRequests: (db) => {
      const client = new AbdmGatewayClient({ config, db, retries: 0 });
      return createDeskRequests({ db, abha: new AbhaService(client, db, { now: () => Date.now() + clock.shiftMs }) });
    },
    ...(options.linking
      ? {
          abdm: (database: OpenedServerDb) => {
            const bridge = createAbdmBridge(config, database.db, { backoffMs: 5, retries: 1, callbackTimeoutMs: 5_000 });
            const made = createAbdmLinker(bridge, database.db, { retryMs: 1 });
            linker = made;
            return { handle: bridge.handle, afterPush: () => made.poke() };
          },
        }
      : {}),
  });
  simulator.knobs.callbackBaseUrl = `${server.url}/abdm`;
  const fixture = await setupClinic(server, { devices: 2 });
  const [A, B] = fixture.devices as [Desk, Desk];
  const rita = A.c.login('rita', STAFF.rita.password);
  const linkerOf = (): AbdmLinker => {
    if (!linker) throw new Error('abhaDeskSetup without linking');
    return linker;
  };
  return { sim: simulator, server, clock, fixture, A, B, rita, linker: linkerOf };
}

/** Calls a job method on a desk and waits for its result. */
export async function job(d: Desk, method: MethodName, input: unknown, token: string): Promise<JobResult> {
  const view = d.c.ok(method, input, token) as { id: string };
  const done = await d.c.app.jobs.wait(view.id);
  expect(done.status).toBe('done');
  return done.result as JobResult;
}

/** A desk request sent by hand over a device's own socket (what a tampered desk could send). */
export async function sendByHand(server: TestSyncServer, d: Desk, requests: DeskRequest[]): Promise<DeskAnswer[]> {
  const socket = ioClient(server.url, { transports: ['websocket'], reconnection: false });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const welcome = (await socket.timeout(10_000).emitWithAck('hello', { ...credentialsOf(d.c), protocol: PROTOCOL_VERSION, schemaVersion: 1, appVersion: '0.2.0', pullCursor: 0, lastAckedSeq: 0 })) as { ok: boolean };
    expect(welcome.ok).toBe(true);
    const out: DeskAnswer[] = [];
    for (const r of requests) out.push((await socket.timeout(30_000).emitWithAck(DESK_REQUEST_EVENT, r)) as DeskAnswer);
    return out;
  } finally {
    socket.disconnect();
  }
}

/** A request genuinely signed by `userId` on desk `d`. */
export function handSigned(d: Desk, userId: string, password: string, body: Record<string, unknown>, kind: DeskKind = 'abha.requestOtp'): DeskRequest {
  const key = keyOf(d.c, userId, password);
  const unsigned = { id: uuidv4(), kind, body, userId, at: Date.now() };
  const sig = sign(null, Buffer.from(deskRequestSigningText(unsigned, d.c.app.deviceId), 'utf8'), key.privateKey).toString('base64');
  return { ...unsigned, keyId: key.keyId, sig };
}

export const patientRow = (d: Desk, id: string) =>
  d.c.app.database.sqlite.prepare('SELECT abha_number, abha_address, abha_verified_at, abha_verified_by, abha_verify_method FROM patients WHERE id = ?').get(id) as Record<string, unknown> | undefined;

/** The rows of a query's answer (its shape differs between the server's database drivers). */
const rowsOf = (r: unknown) => (r as { rows: Record<string, unknown>[] }).rows;

/** Every row of every table of the server's database, as text. */
export async function serverDatabaseText(server: TestSyncServer): Promise<string> {
  const db = server.database.db;
  const list = rowsOf(await db.execute(sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`));
  const parts: string[] = [];
  for (const t of list) {
    const all = rowsOf(await db.execute(sql.raw(`SELECT * FROM "${String(t.table_name)}"`)));
    parts.push(JSON.stringify(all, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
  }
  return parts.join('\n');
}

/** Checks `secrets` are in no desk's audit or outbox, no server table and nothing printed. */
export async function secretsNowhere(sim: { idle(): Promise<void> }, server: TestSyncServer, desks: Desk[], secrets: string[]) {
  await sim.idle();
  const serverText = await serverDatabaseText(server);
  for (const d of desks) {
    const sqlite = d.c.app.database.sqlite;
    const audit = JSON.stringify(sqlite.prepare('SELECT * FROM audit_log').all());
    const outbox = JSON.stringify(sqlite.prepare('SELECT * FROM change_log').all());
    for (const s of secrets) {
      expect(audit).not.toContain(s);
      expect(outbox).not.toContain(s);
    }
  }
  for (const s of secrets) {
    expect(serverText).not.toContain(s);
    expect(logged.join('\n')).not.toContain(s);
  }
}
