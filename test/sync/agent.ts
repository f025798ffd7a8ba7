/**
 * A device agent for the sync fault tests: a real clinic app (its own SQLite data folder, its own
 * sync engine) in its own process, so a test can kill -9 it at any moment. Run with
 * `node --import tsx test/sync/agent.ts '<AgentOptions as JSON>'` through child_process.fork and
 * drive it with AgentCommand messages; every command is answered with an AgentReply.
 */
import { createClinicApp } from '../../electron/app';
import { localChecksums } from '../../electron/sync/local-checksums';
import { readSyncSettings } from '../../electron/sync/state';
import type { AgentCommand, AgentOptions, AgentReply, AgentState, Registered } from './agent-protocol';

const options = JSON.parse(process.argv[2] ?? '{}') as AgentOptions;
const app = createClinicApp({
  dataDir: options.dataDir,
  now: () => Date.now() + options.skewMs,
  appVersion: '0.2.0',
  // The database key comes from CLINIC_DB_KEY, which the test process set (and fork passed on).
  backupScheduler: false,
  onInternalError: (method, error) => {
    process.stderr.write(`agent: internal error in ${method}: ${String(error)}\n`);
  },
});
// In the same tick as the engine started: it has not even connected yet.
if (options.offline) void app.sync.stop();
const sqlite = app.database.sqlite;
let token: string | null = null;

function call<T>(method: string, input: unknown): T {
  const r = app.router.call(method, input, token);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value as T;
}

type Registration = { status: 'registered'; patient: { id: string } } | { status: 'duplicates'; candidates: { id: string }[] };

function register(count: number, prefix: string, paymentEvery: number): Registered {
  const out: Registered = { patients: [], payments: [] };
  for (let i = 0; i < count; i++) {
    // Distinct names and birthdays keep the duplicate check (and so each write) fast.
    const day = new Date(Date.UTC(1940, 0, 1) + ((i * 7919) % 25_000) * 86_400_000).toISOString().slice(0, 10);
    const patient = { givenName: `${prefix}${i.toString(36)}`, familyName: 'Agent', gender: i % 2 ? 'male' : 'female', dob: day };
    let r = call<Registration>('patients.register', { patient });
    if (r.status === 'duplicates') r = call<Registration>('patients.register', { patient, acknowledgeDuplicates: r.candidates.map((c) => c.id) });
    if (r.status !== 'registered') throw new Error('could not register');
    out.patients.push(r.patient.id);
    if (paymentEvery > 0 && i % paymentEvery === 0) {
      const paise = 10_000 + (i % 7) * 1_000;
      const before = new Set(sqlite.prepare('SELECT id FROM payments WHERE patient_id = ?').pluck().all(r.patient.id) as string[]);
      call('billing.recordPayment', { patientId: r.patient.id, parts: [{ mode: 'cash', amountPaise: paise }] });
      const made = (sqlite.prepare('SELECT id FROM payments WHERE patient_id = ?').pluck().all(r.patient.id) as string[]).filter((id) => !before.has(id));
      for (const id of made) out.payments.push({ id, paise });
    }
  }
  return out;
}

function state(): AgentState {
  const status = app.sync.getStatus();
  const outbox = sqlite
    .prepare('SELECT count(*) AS total, count(pushed_at) AS pushed, count(rejected_at) AS rejected FROM change_log')
    .get() as AgentState['outbox'];
  return {
    deviceId: app.deviceId,
    status: { state: status.state, pending: status.pending, rejected: status.rejected, lastError: status.lastError },
    pullCursor: readSyncSettings(sqlite).pullCursor,
    checksums: localChecksums(sqlite),
    patientIds: sqlite.prepare('SELECT id FROM patients ORDER BY id').pluck().all() as string[],
    searchIndexed: sqlite.prepare('SELECT count(*) FROM patient_search').pluck().get() as number,
    outbox,
  };
}

let armed = 0;
sqlite.function('agent_maybe_die', () => {
  if (armed > 0 && --armed === 0) process.kill(process.pid, 'SIGKILL');
  return 0;
});

async function handle(c: AgentCommand): Promise<unknown> {
  switch (c.cmd) {
    case 'login':
      token = call<{ token: string }>('auth.login', { username: c.username, password: c.password }).token;
      return true;
    case 'online':
      if (c.on) app.sync.start();
      else await app.sync.stop();
      return app.sync.getStatus().state;
    case 'register':
      return register(c.count, c.prefix, c.paymentEvery ?? 0);
    case 'syncNow':
      await app.sync.syncNow();
      return state();
    case 'state':
      return state();
    case 'dieOnInsert':
      armed = c.afterRows;
      if (!/^[a-z_]+$/.test(c.table)) throw new Error('bad table');
      sqlite.exec(`CREATE TEMP TRIGGER IF NOT EXISTS agent_die_${c.table} AFTER INSERT ON main.${c.table} BEGIN SELECT agent_maybe_die(); END`);
      return true;
    case 'exit':
      app.close();
      setImmediate(() => process.exit(0));
      return true;
  }
}

process.on('message', (raw) => {
  const { id, command } = raw as { id: number; command: AgentCommand };
  handle(command).then(
    (value) => process.send?.({ id, ok: true, value } satisfies AgentReply),
    (error: unknown) => process.send?.({ id, ok: false, error: error instanceof Error ? error.message : String(error) } satisfies AgentReply),
  );
});
process.send?.({ event: 'ready', deviceId: app.deviceId });
