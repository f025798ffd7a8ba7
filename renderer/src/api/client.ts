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

  function connect() {
    source?.close();
    source = null;
    if (!token) return;
    source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
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
  }
  connect();

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
      connect();
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
