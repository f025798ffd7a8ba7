/**
 * The central sync server. Settings: SYNC_PORT (default 5299; 0 = any), SYNC_HOST (default
 * 127.0.0.1), DATABASE_URL (a PostgreSQL server; without it, embedded PGlite in SERVER_DATA_DIR,
 * default ~/.clinic-sync-server), SERVER_ADMIN_TOKEN (without it one is made and kept in the data
 * folder; its value is never printed), SERVER_UPDATES_DIR (the desktop app's update feed, served
 * read-only at /updates/; default <SERVER_DATA_DIR>/updates), SERVER_PACKED_STAMPS (0 writes rows'
 * column stamps whole, while servers older than packed stamps share the database; docs/SYNC.md).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { abdmConfigFromEnv } from './abdm/config';
import { createAbdmBridge } from './abdm/bridge';
import { createAbdmLinker } from './abdm/link';
import { AbhaService } from './abdm/abha';
import { createDeskRequests } from './abdm/desk-requests';
import { checkConnection } from './abdm/connection-check';
import { msg91Sender, smsConfigFromEnv } from './abdm/sms';
import { smsOtpSender } from './abdm/link-otp';
import { createSyncServer } from './app';
import { openServerDb } from './db/open';
import { packingOn, packingSetting } from './field-stamps';

function fail(message: string): never {
  process.stderr.write(`sync-server: ${message}\n`);
  process.exit(1);
}

const dataDir = path.resolve(process.env.SERVER_DATA_DIR || path.join(os.homedir(), '.clinic-sync-server'));
const port = Number(process.env.SYNC_PORT ?? '5299');
const host = process.env.SYNC_HOST ?? '127.0.0.1';
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`SYNC_PORT must be a port number, not "${process.env.SYNC_PORT}"`);
if (packingSetting() === null) fail(`SERVER_PACKED_STAMPS must be 1 or 0 (on or off), not "${process.env.SERVER_PACKED_STAMPS}"`);

fs.mkdirSync(dataDir, { recursive: true });
const updatesDir = path.resolve(process.env.SERVER_UPDATES_DIR || path.join(dataDir, 'updates'));
try {
  fs.mkdirSync(updatesDir, { recursive: true });
} catch (e) {
  fail(`cannot create the updates folder ${updatesDir}: ${(e as Error).message}`);
}
let adminToken = process.env.SERVER_ADMIN_TOKEN;
if (!adminToken) {
  const file = path.join(dataDir, 'admin-token');
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(24).toString('base64url'), { mode: 0o600 });
  adminToken = fs.readFileSync(file, 'utf8').trim();
  process.stdout.write(`administrator token: in ${file}\n`);
}

const database = await openServerDb({ databaseUrl: process.env.DATABASE_URL, dataDir: path.join(dataDir, 'pglite') }).catch((e: unknown) =>
  fail(`cannot open the database: ${(e as Error).message}`),
);
// ABDM (docs/ABDM.md): off unless ABDM_CLIENT_ID is set.
const abdmConfig = abdmConfigFromEnv(process.env);
if (abdmConfig && 'error' in abdmConfig) fail(abdmConfig.error);
const bridge = abdmConfig ? createAbdmBridge(abdmConfig, database.db) : null;
// The SMS provider for the OTP of user-initiated linking (MSG91_*; docs/ABDM.md "The OTP"): without it link init is refused.
const smsConfig = smsConfigFromEnv(process.env);
if (smsConfig && 'error' in smsConfig) fail(smsConfig.error);
const sms = smsConfig ? msg91Sender(smsConfig) : null;
// HIP-initiated linking and discovery (docs/ABDM.md "Linking"); ABDM_CLINIC_ID when the server holds several clinics.
const linker = bridge
  ? createAbdmLinker(bridge, database.db, {
      ...(abdmConfig && !('error' in abdmConfig) && abdmConfig.clinicId ? { clinicId: abdmConfig.clinicId } : {}),
      ...(sms ? { sendOtp: smsOtpSender(sms) } : {}),
    })
  : null;
const server = createSyncServer({
  database,
  ...(bridge && linker ? { abdm: { handle: bridge.handle, afterPush: () => linker.poke() } } : {}),
  // Desks' ABHA verification (M1) shares the bridge's gateway session.
  deskRequests: createDeskRequests({ db: database.db, abha: bridge ? new AbhaService(bridge.client, database.db) : null, check: () => checkConnection(bridge?.client ?? null, bridge ? bridge.client.config : null, sms) }),
  adminToken,
  updatesDir,
  ...(process.env.SYNC_MIN_APP_VERSION ? { minAppVersion: process.env.SYNC_MIN_APP_VERSION } : {}),
  ...(process.env.SYNC_TEST_EXIT_AFTER_COMMIT
    ? {
        // Fault injection for the sync tests only: die after a commit, before the acknowledgement.
        afterCommit: () => {
          process.stdout.write('exiting after commit (test)\n');
          process.exit(137);
        },
      }
    : {}),
});
const actual = await server.listen(port, host).catch((e: unknown) =>
  fail((e as NodeJS.ErrnoException).code === 'EADDRINUSE' ? `port ${port} is already in use` : (e as Error).message),
);
process.stdout.write(`database: ${database.kind}\nupdates: ${updatesDir}\ncolumn stamps written: ${packingOn() ? 'packed' : 'whole'}\nsync server listening on http://${host}:${actual}\n`);

linker?.start();

async function shutdown() {
  await linker?.stop();
  await server.close();
  await database.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
