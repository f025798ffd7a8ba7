/**
 * The crash-safety test's victim: opens an encrypted clinic database and registers patients
 * through the router in a tight loop, printing each MRN once its transaction has committed, until
 * the test kills it with SIGKILL. Stdout to a pipe is synchronous on Linux, so a printed MRN was
 * committed before it was printed.
 *
 * Environment: CRASH_DATA_DIR, CRASH_USERNAME and CRASH_PASSWORD (a receptionist/admin: each start
 * logs in, as a restarted app must, to unwrap the signing key), CRASH_MIGRATIONS,
 * CLINIC_DB_KEY (64 hex digits), CRASH_CHECKPOINT_EVERY (writes between WAL checkpoints).
 * The test bundles this file (esbuild) so each of its hundred starts takes a fraction of a second.
 */
import path from 'node:path';
import { openDatabase } from '../../db/open';
import { authMethods } from '../../electron/api/auth';
import { patientMethods } from '../../electron/api/patients';
import { createRouter } from '../../electron/api/router';
import { keyFromEnvironment } from '../../electron/keys';
import { ensureDeviceId, lastHlc } from '../../electron/services/device';
import { FileGrants } from '../../electron/services/file-access';
import { JobRunner } from '../../electron/services/jobs';
import { peekSeries } from '../../electron/services/workstation';
import { HybridClock } from '../../shared/hlc';
import { crashPatient } from './crash-patient';

const dataDir = process.env.CRASH_DATA_DIR!;
const checkpointEvery = Number(process.env.CRASH_CHECKPOINT_EVERY ?? 50);
const { sqlite, db } = openDatabase(path.join(dataDir, 'clinic.db'), {
  key: keyFromEnvironment(),
  ...(process.env.CRASH_MIGRATIONS ? { migrationsFolder: process.env.CRASH_MIGRATIONS } : {}),
});
const deviceId = ensureDeviceId(db);
const clock = new HybridClock(deviceId, Date.now, lastHlc(db));
const router = createRouter({ ...authMethods, ...patientMethods }, {
  db,
  sqlite,
  clock,
  deviceId,
  settings: { sessionIdleMs: 30 * 60_000, lockoutAttempts: 5, lockoutMs: 15 * 60_000, timeZone: 'Asia/Kolkata' },
  jobs: new JobRunner(() => {}),
  files: { grants: new FileGrants(), defaultImportFolder: dataDir, shippedLists: path.join(dataDir, 'no-shipped-lists') },
  sync: { status: () => { throw new Error('no sync here'); }, restart: () => {}, trigger: () => {}, refreshDevices: () => {} },
  onInternalError: (method, error) => process.stderr.write(`writer: internal error in ${method}: ${String(error)}\n`),
});
const login = router.call('auth.login', { username: process.env.CRASH_USERNAME, password: process.env.CRASH_PASSWORD }, null);
if (!login.ok) {
  process.stderr.write(`writer: cannot log in: ${JSON.stringify(login.error)}\n`);
  process.exit(2);
}
const token = (login.value as { token: string }).token;
process.stdout.write('ready\n');

for (let written = 0; ; written++) {
  const n = peekSeries(db, 'mrn') + 1;
  let r = router.call('patients.register', { patient: crashPatient(n) }, token);
  if (r.ok && (r.value as { status: string }).status === 'duplicates') {
    const ids = (r.value as { candidates: { id: string }[] }).candidates.map((c) => c.id);
    r = router.call('patients.register', { patient: crashPatient(n), acknowledgeDuplicates: ids }, token);
  }
  if (!r.ok) {
    process.stderr.write(`writer: ${JSON.stringify(r.error)}\n`);
    process.exit(2);
  }
  const mrn = (r.value as { patient: { mrn: string } }).patient.mrn;
  process.stdout.write(`${mrn}\n`);
  if (written % checkpointEvery === checkpointEvery - 1) sqlite.pragma('wal_checkpoint(PASSIVE)');
}
