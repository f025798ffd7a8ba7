/**
 * The simulator as the patient's PHR app behind the gateway, for user-initiated linking (ABDM v3
 * hiecm M2): it calls the HIP's `/api/v3/hip/patient/care-context/discover`,
 * `/api/v3/hip/link/care-context/init` and `/confirm`, and receives the HIP's answers at
 * `/api/hiecm/user-initiated-linking/v3/patient/care-context/on-discover`, `.../link/care-context/on-init`
 * and `.../on-confirm`, each checked (session token, `response.requestId` naming the request it
 * answers, the body's shape) and answered 202.
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { SimContext, SimEndpoint } from './index';
import { patientEntriesProblem } from './link';

const ON = {
  '/api/hiecm/user-initiated-linking/v3/patient/care-context/on-discover': 'discover',
  '/api/hiecm/user-initiated-linking/v3/link/care-context/on-init': 'init',
  '/api/hiecm/user-initiated-linking/v3/link/care-context/on-confirm': 'confirm',
} as const;

export interface SimAsked {
  /** What the HIP answered our request with (202 expected). */
  status: number;
  requestId: string;
}

/** Why an on-* body is wrong, or null. */
function answerProblem(kind: 'discover' | 'init' | 'confirm', b: Record<string, unknown>, transactionId: string | null): string | null {
  if (transactionId !== null && b.transactionId !== transactionId) return 'transactionId must be the request\'s';
  if (b.error && typeof b.error === 'object') {
    const e = b.error as Record<string, unknown>;
    return typeof e.code === 'string' && typeof e.message === 'string' ? null : 'error needs code and message';
  }
  if (kind === 'init') {
    const link = (b.link ?? {}) as Record<string, unknown>;
    const meta = (link.meta ?? {}) as Record<string, unknown>;
    if (typeof link.referenceNumber !== 'string' || link.authenticationType !== 'DIRECT') return 'link.referenceNumber and authenticationType DIRECT are required';
    return meta.communicationMedium === 'MOBILE' && typeof meta.communicationExpiry === 'string' ? null : 'link.meta needs communicationMedium and communicationExpiry';
  }
  if (kind === 'discover' && (!Array.isArray(b.matchedBy) || b.matchedBy.length === 0)) return 'matchedBy is required';
  return patientEntriesProblem(b.patient);
}

// Long by design: the three requests and their answers share the waiting table.
export function discoverySim(ctx: SimContext) {
  /** The HIP's answers, by the REQUEST-ID of our request they answer. */
  const answers = new Map<string, Record<string, unknown>>();
  const transactions = new Map<string, string | null>();
  const problems: string[] = [];
  /** The patient's phone: OTPs the HIP sent (a test hook stands for the SMS). */
  const inbox: { mobile: string | null; otp: string }[] = [];

  async function ask(path: string, body: Record<string, unknown>, transactionId: string | null, hipId: string): Promise<SimAsked> {
    const headers = ctx.gatewayHeaders(hipId);
    const requestId = headers['REQUEST-ID']!;
    transactions.set(requestId, transactionId);
    const res = await fetch(`${ctx.knobs.callbackBaseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    await res.text();
    return { status: res.status, requestId };
  }

  async function answerTo(requestId: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    const until = Date.now() + timeoutMs;
    while (!answers.has(requestId)) {
      if (Date.now() > until) throw new Error(`the HIP did not answer request ${requestId}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return answers.get(requestId)!;
  }

  const endpoint: SimEndpoint<ReturnType<typeof api>> = {
    api: api(),
    handle(req: http.IncomingMessage, res: http.ServerResponse, path: string, body: unknown) {
      const kind = (ON as Record<string, 'discover' | 'init' | 'confirm'>)[path];
      if (!kind) return false;
      const auth = ctx.authProblem(req);
      if (auth) return ctx.answer(req, res, path, body, ...auth), true;
      const b = (body ?? {}) as Record<string, unknown>;
      const requestId = ((b.response ?? {}) as Record<string, unknown>).requestId;
      if (typeof requestId !== 'string' || !transactions.has(requestId)) return ctx.answer(req, res, path, body, 400, ctx.error('ABDM-1006', 'response.requestId names no request')), true;
      const problem = answerProblem(kind, b, transactions.get(requestId) ?? null);
      if (problem) {
        problems.push(`${kind}: ${problem}`);
        return ctx.answer(req, res, path, body, 400, ctx.error('ABDM-1006', `Bad Request, invalid request Body: ${problem}`)), true;
      }
      answers.set(requestId, b);
      ctx.answer(req, res, path, body, 202);
      return true;
    },
  };

  function api() {
    return {
      inbox,
      /** Bodies the simulator refused, with why. */
      problems,
      /** The PHR app asks the HIP which records it holds for this person; resolves with the on-discover body. */
      async discover(hipId: string, patient: Record<string, unknown>) {
        const transactionId = randomUUID();
        const asked = await ask('/api/v3/hip/patient/care-context/discover', { transactionId, patient }, transactionId, hipId);
        return { asked, transactionId, answer: asked.status === 202 ? await answerTo(asked.requestId) : null };
      },
      /** The patient picks care contexts to link; resolves with the on-init body. */
      async linkInit(hipId: string, transactionId: string, abhaAddress: string, patient: unknown[]) {
        const asked = await ask('/api/v3/hip/link/care-context/init', { transactionId, abhaAddress, patient }, transactionId, hipId);
        return { asked, answer: asked.status === 202 ? await answerTo(asked.requestId) : null };
      },
      /** The patient types the OTP; resolves with the on-confirm body. */
      async linkConfirm(hipId: string, linkRefNumber: string, token: string) {
        const asked = await ask('/api/v3/hip/link/care-context/confirm', { confirmation: { linkRefNumber, token } }, null, hipId);
        return { asked, answer: asked.status === 202 ? await answerTo(asked.requestId) : null };
      },
    };
  }
  return endpoint;
}
