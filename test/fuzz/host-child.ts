import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createClinicApp } from '../../electron/app';
import { createHttpTransport } from '../../electron/transports/http';

/**
 * The HTTP transport in a process of its own, for requests that might take the process down:
 * in the test runner's process such a crash would end the whole test run instead of one check.
 * Usage: node --import tsx test/fuzz/host-child.ts <data dir>; prints "listening on <url>".
 */
const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: host-child.ts <data dir>');
fs.writeFileSync(path.join(dataDir, 'index.html'), '<!doctype html><title>Clinic</title>');
const app = createClinicApp({ dataDir, key: null, backupScheduler: false });
const server = createHttpTransport({ app, rendererDir: dataDir });
server.listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
