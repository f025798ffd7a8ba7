import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/* ------------------------------------------------------------------------------------------------
 * A throwaway PostgreSQL cluster (initdb in a temp folder, its own port), when the binaries exist.
 */
export interface PostgresBins {
  ok: boolean;
  reason: string;
  bin: string;
  /** Runs as the postgres user when we are root (initdb refuses root). */
  asUser: string | null;
}

export function findPostgres(): PostgresBins {
  const candidates = [...(process.env.PG_BIN ? [process.env.PG_BIN] : []), ...(process.env.PATH ?? '').split(':')];
  const lib = '/usr/lib/postgresql';
  if (fs.existsSync(lib)) for (const v of fs.readdirSync(lib).sort().reverse()) candidates.push(path.join(lib, v, 'bin'));
  const bin = candidates.find((d) => fs.existsSync(path.join(d, 'initdb')) && fs.existsSync(path.join(d, 'pg_ctl')));
  if (!bin) return { ok: false, reason: 'no PostgreSQL server binaries (initdb, pg_ctl) on this machine', bin: '', asUser: null };
  const root = process.getuid?.() === 0;
  if (root) {
    const id = spawnSync('id', ['-u', 'postgres']);
    if (id.status !== 0) return { ok: false, reason: 'running as root and there is no postgres user to run initdb as', bin, asUser: null };
  }
  return { ok: true, reason: '', bin, asUser: root ? 'postgres' : null };
}

export interface RunningPostgres {
  ok: true;
  url: string;
  /** The data directory (its postmaster.pid names the server process, for CPU accounting). */
  dataDir: string;
  stop(): void;
  start(): void;
  cleanup(): void;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startPostgres(bins: PostgresBins): Promise<RunningPostgres | { ok: false; reason: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clinic-sync-pg-'));
  const data = path.join(dir, 'data');
  if (bins.asUser) spawnSync('chown', ['-R', bins.asUser, dir]);
  const run = (tool: string, args: string[]) => {
    const cmd = bins.asUser ? 'runuser' : path.join(bins.bin, tool);
    const full = bins.asUser ? ['-u', bins.asUser, '--', path.join(bins.bin, tool), ...args] : args;
    return spawnSync(cmd, full, { encoding: 'utf8', timeout: 60_000 });
  };
  const init = run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  if (init.status !== 0) return { ok: false, reason: `initdb failed: ${(init.stderr || init.stdout || String(init.error)).trim().slice(0, 300)}` };
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  const start = () => {
    const r = run('pg_ctl', ['-D', data, '-o', opts, '-l', path.join(dir, 'log'), '-w', '-t', '30', 'start']);
    if (r.status !== 0) throw new Error(`pg_ctl start failed: ${r.stderr || r.stdout}`);
  };
  let up = false;
  try {
    start();
    up = true;
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message.slice(0, 300) : String(e) };
  }
  return {
    ok: true,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dataDir: data,
    stop() {
      if (!up) return;
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      up = false;
    },
    start() {
      if (up) return;
      start();
      up = true;
    },
    cleanup() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs `scenario` against a throwaway PostgreSQL, stopped and removed afterwards whatever happens.
 * For tests that need the real server (skipped where it is absent, required on CI): a cluster that
 * cannot be found or started fails the test with the reason.
 */
export async function withPostgres(bins: PostgresBins, scenario: (pg: RunningPostgres) => Promise<void>): Promise<void> {
  if (!bins.ok) throw new Error(`PostgreSQL is required: ${bins.reason}`);
  const pg = await startPostgres(bins);
  if (!pg.ok) throw new Error(`PostgreSQL is required: ${pg.reason}`);
  try {
    await scenario(pg);
  } finally {
    pg.stop();
    pg.cleanup();
  }
}
