import { Worker } from 'node:worker_threads';
import { driverLocation } from '../../../db/sqlite';

// The worker: its own connection, so the copy neither blocks nor is blocked by the app's writes.

interface WorkerInput {
  source: string;
  dest: string;
  pragmas: string[];
}
export type WorkerResult = { ok: true; integrity: string } | { ok: false; message: string };

// Plain CommonJS run with `eval`, so it needs no build step of its own (electron-vite bundles the
// main process into one file); it loads the same driver the app uses.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
function open(file, options) {
  const db = new Database(file, workerData.nativeBinding ? { ...options, nativeBinding: workerData.nativeBinding } : options);
  for (const p of workerData.pragmas) db.pragma(p);
  return db;
}
try {
  const source = open(workerData.source, { readonly: true, fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    source.prepare('VACUUM INTO ?').run(workerData.dest);
  } finally {
    source.close();
  }
  const copy = open(workerData.dest, { readonly: true, fileMustExist: true });
  let integrity;
  try {
    integrity = copy.pragma('integrity_check').map((r) => r.integrity_check).slice(0, 5).join('; ');
  } finally {
    copy.close();
  }
  parentPort.postMessage({ ok: true, integrity });
} catch (error) {
  parentPort.postMessage({ ok: false, message: error && error.message ? error.message : String(error) });
}
`;

export function runBackupWorker(input: WorkerInput, onWorker: (w: Worker) => void): Promise<WorkerResult> {
  return new Promise((resolve) => {
    const driver = driverLocation();
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ...input, driver: driver.module, nativeBinding: driver.nativeBinding } });
    onWorker(worker);
    let settled = false;
    const done = (r: WorkerResult) => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    worker.once('message', (m: WorkerResult) => done(m));
    worker.once('error', (e: Error) => done({ ok: false, message: e.message }));
    worker.once('exit', (code) => done({ ok: false, message: code === 1 ? 'The backup was stopped.' : `The backup worker ended (${code}).` }));
  });
}
