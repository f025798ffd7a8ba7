/**
 * What the preload script exposes as `window.clinic`, and nothing more. The renderer wraps it in
 * a client typed from the method map, so this stays deliberately untyped by method.
 */
export interface ClinicBridge {
  call(method: string, input?: unknown): Promise<unknown>;
  on(event: ClinicEventName, listener: (payload: unknown) => void): () => void;
}

/** `changed`: tables written (live screens refetch); `progress`: a background job moved on. */
export type ClinicEventName = 'changed' | 'progress';

export interface ClinicEvent {
  event: ClinicEventName;
  payload: unknown;
}

export const IPC_CALL = 'clinic:call';
export const IPC_EVENT = 'clinic:event';
