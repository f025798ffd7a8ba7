/**
 * The simulated consent manager's side of consents and health-information transfer
 * (consent-management-data-flow.yaml): it sends the HIP `/api/v3/consent/request/hip/notify` and
 * `/api/v3/hip/health-information/request` (signed, like every callback), and takes the HIP's
 * `on-notify`, `on-request` and `health-information/notify` (202 after the header, token and body checks).
 */
import type http from 'node:http';

export interface SimHiContext {
  answer(req: http.IncomingMessage, res: http.ServerResponse, path: string, body: unknown, status: number, payload?: unknown): void;
  authProblem(req: http.IncomingMessage): [number, unknown] | null;
  sendCallback(path: string, hipId: string, payload: Record<string, unknown>): Promise<void>;
}

const error = (code: string, message: string) => ({ error: { code, message } });
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** Required fields per path (the yaml's `required` lists), as dotted paths. */
const REQUIRED: Record<string, string[]> = {
  '/api/hiecm/consent/v3/request/hip/on-notify': ['acknowledgement.status', 'acknowledgement.consentId', 'response.requestId'],
  '/api/hiecm/data-flow/v3/health-information/hip/on-request': ['response.requestId'],
  '/api/hiecm/data-flow/v3/health-information/notify': [
    'notification.consentId',
    'notification.transactionId',
    'notification.doneAt',
    'notification.notifier.type',
    'notification.notifier.id',
    'notification.statusNotification.sessionStatus',
    'notification.statusNotification.hipId',
    'notification.statusNotification.statusResponses',
  ],
};

function at(body: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((v, k) => obj(v)[k], body);
}

export function simHi(ctx: SimHiContext) {
  /** Serves the HIP's calls of this part; false for any other path. */
  function handle(req: http.IncomingMessage, res: http.ServerResponse, path: string, body: unknown): boolean {
    const required = REQUIRED[path];
    if (req.method !== 'POST' || !required) return false;
    const auth = ctx.authProblem(req);
    if (auth) {
      ctx.answer(req, res, path, body, ...auth);
      return true;
    }
    const missing = required.filter((p) => at(body, p) === undefined || at(body, p) === null || at(body, p) === '');
    const onRequestOk = path.endsWith('/on-request') ? at(body, 'hiRequest.transactionId') || at(body, 'error.code') : true;
    if (missing.length > 0 || !onRequestOk) {
      ctx.answer(req, res, path, body, 400, error('ABDM-1031', `Invalid request: ${missing.join(', ') || 'hiRequest or error'}`));
      return true;
    }
    ctx.answer(req, res, path, body, 202);
    return true;
  }

  return {
    handle,
    /** The consent manager notifies the HIP of a consent (GRANTED with consentDetail, or REVOKED/EXPIRED). */
    notifyConsent: (hipId: string, notification: Record<string, unknown>) => ctx.sendCallback('/api/v3/consent/request/hip/notify', hipId, { notification }),
    /** The consent manager forwards an HIU's health-information request. */
    requestHealthInfo: (hipId: string, payload: { transactionId: string; hiRequest: Record<string, unknown> }) =>
      ctx.sendCallback('/api/v3/hip/health-information/request', hipId, payload),
  };
}
