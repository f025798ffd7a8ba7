import { randomUUID } from 'node:crypto';
import pg from 'pg';

/**
 * "Changes available for clinic X" between server instances that share one PostgreSQL: each
 * instance pokes only the devices connected to it, so a push through one instance must reach
 * desks idling on another. PostgreSQL's LISTEN/NOTIFY carries it; a notification lost while the
 * database is away is covered by the desks' periodic pull.
 */
export interface ChangeNotifier {
  /** Tells the other instances; call after the push's transaction committed. */
  publish(clinicId: string): void;
  /** Called for every clinic another instance published. */
  onRemote(listener: (clinicId: string) => void): void;
  close(): Promise<void>;
}

const CHANNEL = 'clinic_changes';
const RECONNECT_MS = 2_000;

/** One instance alone (PGlite, embedded): nobody else to tell. */
export const soloNotifier: ChangeNotifier = {
  publish: () => undefined,
  onRemote: () => undefined,
  close: () => Promise.resolve(),
};

export function postgresNotifier(pool: pg.Pool, connectionString: string): ChangeNotifier {
  const instance = randomUUID();
  const listeners: ((clinicId: string) => void)[] = [];
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;

  const connect = () => {
    if (closed) return;
    const c = new pg.Client({ connectionString });
    const reconnect = () => {
      if (client === c) client = null;
      c.removeAllListeners();
      void c.end().catch(() => undefined);
      if (!closed && !retry) retry = setTimeout(() => ((retry = null), connect()), RECONNECT_MS);
    };
    // A database that goes away must not crash the server: listen again when it is back.
    c.on('error', reconnect);
    c.on('end', reconnect);
    c.on('notification', (n) => {
      const [from, clinicId] = (n.payload ?? '').split(' ');
      if (from === instance || !clinicId) return;
      for (const l of listeners) l(clinicId);
    });
    c.connect()
      .then(() => c.query(`LISTEN ${CHANNEL}`))
      .then(() => {
        client = c;
      })
      .catch(reconnect);
  };
  connect();

  return {
    publish(clinicId) {
      // Fire and forget: the push is already committed and acknowledged; a lost note is caught
      // by the periodic pull.
      void pool.query('SELECT pg_notify($1, $2)', [CHANNEL, `${instance} ${clinicId}`]).catch(() => undefined);
    },
    onRemote(listener) {
      listeners.push(listener);
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const c = client;
      client = null;
      c?.removeAllListeners();
      await c?.end().catch(() => undefined);
    },
  };
}
