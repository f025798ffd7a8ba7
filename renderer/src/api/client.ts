import type { ClinicBridge, ClinicEventName } from '../../../electron/bridge';
import type { Input, MethodName, Output } from '../../../electron/api';
import type { ApiError, Result } from '../../../electron/api/contract';

// Input and output types come straight from the method map: no second copy of the contract.
type Args<M extends MethodName> = undefined extends Input<M> ? [input?: Input<M>] : [input: Input<M>];

export type { ApiError, Input, MethodName, Output };

declare global {
  interface Window {
    clinic?: ClinicBridge;
  }
}

interface Transport {
  call(method: string, input: unknown): Promise<Result<unknown>>;
  on(event: ClinicEventName, listener: (payload: unknown) => void): () => void;
  setToken(token: string | null): void;
}

const TOKEN_KEY = 'clinic.session';
/** Wait before reopening a dropped event stream. */
const RECONNECT_MS = 3_000;

/**
 * A one-time ticket for the event stream; null when the session is not (or no longer) valid, and
 * 'unreachable' when the host did not answer (try again later).
 */
async function streamTicket(token: string): Promise<{ ticket: string } | null | 'unreachable'> {
  try {
    const res = await fetch('/api/events', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: '{}' });
    if (!res.ok) return null;
    const body = (await res.json()) as Result<{ ticket: string }>;
    return body.ok ? { ticket: body.value.ticket } : null;
  } catch {
    return 'unreachable';
  }
}

/** Electron: the preload bridge; the main process keeps this window's session. */
function ipcTransport(bridge: ClinicBridge): Transport {
  return {
    call: (method, input) => bridge.call(method, input) as Promise<Result<unknown>>,
    on: (event, listener) => bridge.on(event, listener),
    setToken: () => undefined,
  };
}

/** Browser host: fetch with a bearer token, and server-sent events for live updates. */
function httpTransport(): Transport {
  let token = sessionStorage.getItem(TOKEN_KEY);
  const listeners = new Map<ClinicEventName, Set<(payload: unknown) => void>>();
  let source: EventSource | null = null;

  let connecting = 0;
  async function connect() {
    source?.close();
    source = null;
    const attempt = ++connecting;
    if (!token) return;
    // The session token never goes into an address: a one-time ticket opens the stream.
    const answer = await streamTicket(token);
    if (attempt !== connecting || answer === null) return;
    if (answer === 'unreachable') return void setTimeout(() => attempt === connecting && void connect(), RECONNECT_MS);
    source = new EventSource(`/api/events?ticket=${encodeURIComponent(answer.ticket)}`);
    for (const name of ['changed', 'progress'] as const) {
      source.addEventListener(name, (e) => {
        const payload: unknown = JSON.parse((e as MessageEvent<string>).data);
        for (const l of listeners.get(name) ?? []) l(payload);
      });
    }
    // The host ended the stream because the session ended (idle, locked, password changed
    // elsewhere): the screen must not go on showing patient data until the next click.
    source.addEventListener('ended', (e) => {
      const { reason } = JSON.parse((e as MessageEvent<string>).data) as { reason: string };
      source?.close();
      source = null;
      for (const l of sessionEndListeners) l({ code: 'unauthenticated', message: reason });
    });
    // A ticket opens one stream only, so the browser's own reconnect (same address) cannot work:
    // after a drop (the host restarted, the network blinked), ask for a new ticket.
    const opened = source;
    opened.onerror = () => {
      if (opened !== source) return;
      opened.close();
      source = null;
      setTimeout(() => attempt === connecting && void connect(), RECONNECT_MS);
    };
  }
  void connect();

  return {
    async call(method, input) {
      try {
        const res = await fetch(`/api/${method}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
          body: input === undefined ? '' : JSON.stringify(input),
        });
        return (await res.json()) as Result<unknown>;
      } catch {
        return { ok: false, error: { code: 'internal', message: 'The clinic service is not reachable. Is it running?' } };
      }
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
    setToken(next) {
      token = next;
      if (next) sessionStorage.setItem(TOKEN_KEY, next);
      else sessionStorage.removeItem(TOKEN_KEY);
      void connect();
    },
  };
}

const transport: Transport = window.clinic ? ipcTransport(window.clinic) : httpTransport();
const sessionEndListeners = new Set<(error: ApiError) => void>();

/** Calls a method; resolves to the same Result value on every transport. */
export async function call<M extends MethodName>(method: M, ...args: Args<M>): Promise<Result<Output<M>>> {
  const result = (await transport.call(method, args[0])) as Result<Output<M>>;
  if (!result.ok && result.error.code === 'unauthenticated') {
    for (const l of sessionEndListeners) l(result.error);
  }
  if (result.ok && method === 'auth.login') transport.setToken((result.value as { token: string }).token);
  if (method === 'auth.logout') transport.setToken(null);
  return result;
}

export class CallError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

/** For TanStack Query: resolves with the value or throws a CallError carrying the ApiError. */
export async function fetchValue<M extends MethodName>(method: M, ...args: Args<M>): Promise<Output<M>> {
  const result = await call(method, ...args);
  if (!result.ok) throw new CallError(result.error);
  return result.value;
}

export function onChanged(listener: (tables: string[]) => void): () => void {
  return transport.on('changed', (payload) => listener((payload as { tables: string[] }).tables));
}

export function onProgress(listener: (job: Output<'jobs.get'>) => void): () => void {
  return transport.on('progress', (payload) => listener(payload as Output<'jobs.get'>));
}

export function onSessionEnded(listener: (error: ApiError) => void): () => void {
  sessionEndListeners.add(listener);
  return () => sessionEndListeners.delete(listener);
}

export function forgetSession(): void {
  transport.setToken(null);
}
