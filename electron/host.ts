/**
 * The browser host: serves the built renderer and the API on 127.0.0.1, for machines without an
 * Electron binary and for end-to-end tests. Settings: CLINIC_DATA_DIR, CLINIC_PORT (0 = any).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClinicApp } from './app';
import { createHttpTransport } from './transports/http';

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
  fail(`cannot write to the data directory ${dataDir} (${(error as NodeJS.ErrnoException).code ?? error}). Set CLINIC_DATA_DIR to a folder you can write.`);
}

const rendererDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'out', 'renderer');
if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
  fail(`the renderer is not built (${rendererDir} is missing). Run "npm run build" first, or use "npm run serve".`);
}

let app: ReturnType<typeof createClinicApp>;
try {
  app = createClinicApp({
    dataDir,
    onInternalError: (method, error) => process.stderr.write(`clinic: internal error in ${method}: ${(error as Error)?.stack ?? error}\n`),
  });
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

function shutdown() {
  server.close();
  server.closeAllConnections();
  app.close();
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
