/**
 * The browser host: serves the built renderer and the API on 127.0.0.1, for machines without an
 * Electron binary and for end-to-end tests. Settings: CLINIC_DATA_DIR, CLINIC_PORT (0 = any),
 * CLINIC_DB_KEY (the database key, 64 hex digits; without it a key is made on first run and kept
 * in <data dir>/db.key, readable only by its owner).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRestartableClinicApp, DEFAULT_SETTINGS } from './app';
import { fileProtector, KEY_ENV, keyFromEnvironment, loadOrCreateKey } from './keys';
import { createHttpTransport } from './transports/http';
import { controlDisplay } from './transports/display-control';

function fail(message: string): never {
  process.stderr.write(`clinic: ${message}\n`);
  process.exit(1);
}

const dataDir = path.resolve(process.env.CLINIC_DATA_DIR || path.join(os.homedir(), '.clinic-workstation'));
const portText = process.env.CLINIC_PORT ?? '5199';
const port = Number(portText);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`CLINIC_PORT must be a port number (0-65535), not "${portText}".`);

try {
  fs.mkdirSync(dataDir, { recursive: true });
  fs.accessSync(dataDir, fs.constants.W_OK);
  const probe = path.join(dataDir, `.write-test-${process.pid}`);
  fs.writeFileSync(probe, '');
  fs.rmSync(probe);
} catch (error) {
  fail(`cannot write to the data directory ${dataDir} (${String((error as NodeJS.ErrnoException).code ?? error)}). Set CLINIC_DATA_DIR to a folder you can write.`);
}

// The sync server may refuse versions that are too old: report the real one.
const appVersion = (JSON.parse(fs.readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'package.json'), 'utf8')) as { version: string }).version;

const rendererDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'out', 'renderer');
if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
  fail(`the renderer is not built (${rendererDir} is missing). Run "npm run build" first, or use "npm run serve".`);
}

// The database key: CLINIC_DB_KEY if given, else this data folder's own key file.
let key: Buffer;
try {
  const fromEnv = keyFromEnvironment();
  if (fromEnv) key = fromEnv;
  else {
    const keyFile = path.join(dataDir, 'db.key');
    const loaded = loadOrCreateKey({ keyFile, protector: fileProtector, dbFile: path.join(dataDir, 'clinic.db') });
    key = loaded.key;
    if (loaded.created) {
      process.stderr.write(
        `clinic: made a new database key in ${keyFile}. The database and its backups are encrypted with it and cannot be\n` +
          `clinic: read without it: keep a copy somewhere safe and never with the backups (or set ${KEY_ENV} instead).\n` +
          `clinic: an administrator can also write it down as a recovery key: Backups screen, "Show recovery key".\n`,
      );
    }
  }
} catch (error) {
  fail(`cannot get the database key: ${(error as Error).message}`);
}

let app: ReturnType<typeof createRestartableClinicApp>;
try {
  app = createRestartableClinicApp(
    {
      dataDir,
      key,
      appVersion,
      onInternalError: (method, error) => process.stderr.write(`clinic: internal error in ${method}: ${String((error as Error | null | undefined)?.stack ?? error)}\n`),
    },
    // Restoring a backup reopens the database in place; if that fails there is nothing to serve.
    (error) => fail(`cannot reopen the database in ${dataDir} after a restore: ${(error as Error).message}`),
  );
} catch (error) {
  fail(`cannot open the database in ${dataDir}: ${(error as Error).message}`);
}

const server = createHttpTransport({ app, rendererDir });
server.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EADDRINUSE') fail(`port ${port} is already in use. Stop the other program or set CLINIC_PORT to another port (0 picks a free one).`);
  fail(`cannot listen on port ${port}: ${error.message}`);
});
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  process.stdout.write(`data in ${dataDir}\nlistening on http://127.0.0.1:${actual}\n`);
});

// The waiting-room display listens on the clinic network, only while an administrator has it on.
const display = controlDisplay({
  app,
  timeZone: DEFAULT_SETTINGS.timeZone,
  host: process.env.CLINIC_DISPLAY_HOST || '0.0.0.0',
  onError: (message) => process.stderr.write(`clinic: ${message}\n`),
});

function shutdown() {
  void display.stop();
  server.close();
  server.closeAllConnections();
  app.close();
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
