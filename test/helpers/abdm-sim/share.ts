/**
 * The gateway's side of ABDM Scan & Share (nha-in/docs patient-share.yaml): it posts a person's
 * profile to the HIP's `<callback>/api/v3/hip/patient/share` (headers REQUEST-ID, TIMESTAMP,
 * X-HIP-ID, Authorization), as many copies as asked and when asked (late, repeated), and takes
 * the HIP's `POST /api/hiecm/patient-share/v3/on-share` (202), checking its headers and body
 * against the specification and against the share it answers.
 */
import { randomUUID } from 'node:crypto';
import type http from 'node:http';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SharePatient {
  abhaNumber?: string | null;
  abhaAddress: string;
  name: string;
  gender: string;
  dayOfBirth?: string | null;
  monthOfBirth?: string | null;
  yearOfBirth: string;
  address: { line?: string | null; district?: string | null; state?: string | null; pincode?: string | null };
  phoneNumber: string | null;
}

/** An on-share the HIP sent, as the gateway took it. */
export interface OnShare {
  requestId: string;
  /** response.requestId: the share it answers. */
  answers: string;
  abhaAddress: string;
  context: string;
  tokenNumber: string;
  expiry: number;
  status: number;
}

interface SimParts {
  answer(req: http.IncomingMessage, res: http.ServerResponse, path: string, body: unknown, status: number, payload?: unknown): void;
  authProblem(req: http.IncomingMessage): [number, unknown] | null;
  error(code: string, message: string): unknown;
  knobs: { callbackBaseUrl: string };
  /** The gateway's signed bearer token for its calls to the HIP (jwt.ts). */
  token(): string;
}

export const ON_SHARE = '/api/hiecm/patient-share/v3/on-share';

// Long by design: one closure holds the shares sent, the on-shares taken and their checks.
export function shareSim(sim: SimParts) {
  /** The shares sent, by REQUEST-ID, with the status each copy got. */
  const shares = new Map<string, { body: Record<string, unknown>; statuses: (number | null)[] }>();
  const onShares: OnShare[] = [];
  const refusedOnShares: { body: unknown; status: number; code: string }[] = [];
  /** The next N on-shares are answered 500 without being taken (the gateway failing after our 200). */
  const faults = { failOnShares: 0, failedOnShares: 0 };

  function onShare(req: http.IncomingMessage, res: http.ServerResponse, path: string, body: unknown) {
    const refuse = (status: number, payload: unknown) => {
      refusedOnShares.push({ body, status, code: JSON.stringify(payload) });
      sim.answer(req, res, path, body, status, payload);
    };
    const auth = sim.authProblem(req);
    if (auth) return refuse(...auth);
    if (faults.failOnShares > 0) {
      faults.failOnShares--;
      faults.failedOnShares++;
      return sim.answer(req, res, path, body, 500, sim.error('ABDM-9999: ', 'Unknown exception'));
    }
    const b = (body ?? {}) as Record<string, unknown>;
    const ack = (b.acknowledgement ?? null) as Record<string, unknown> | null;
    const profile = (ack?.profile ?? null) as Record<string, unknown> | null;
    const requestId = ((b.response ?? {}) as Record<string, unknown>).requestId;
    const answers = typeof requestId === 'string' ? requestId : '';
    const valid =
      ack !== null &&
      (ack.status === 'SUCCESS' || ack.status === 'FAILED') &&
      typeof ack.abhaAddress === 'string' &&
      profile !== null &&
      typeof profile.context === 'string' &&
      typeof profile.tokenNumber === 'string' &&
      profile.tokenNumber !== '' &&
      typeof profile.expiry === 'number' &&
      UUID.test(answers);
    if (!valid) return refuse(400, sim.error('ABDM-1006', 'Bad Request, invalid request Body'));
    const share = shares.get(answers);
    if (!share) return refuse(400, sim.error('ABDM-1030', 'Invalid request ID'));
    const patient = ((share.body.profile as Record<string, unknown>).patient ?? {}) as Record<string, unknown>;
    const meta = share.body.metaData as Record<string, unknown>;
    if (ack.abhaAddress !== patient.abhaAddress || profile.context !== meta.context) return refuse(400, sim.error('ABDM-1031', 'Invalid request'));
    onShares.push({
      requestId: String(req.headers['request-id']),
      answers,
      abhaAddress: ack.abhaAddress as string,
      context: profile.context as string,
      tokenNumber: profile.tokenNumber as string,
      expiry: profile.expiry as number,
      status: 202,
    });
    sim.answer(req, res, path, body, 202);
  }

  async function post(requestId: string, hipId: string, body: Record<string, unknown>): Promise<number | null> {
    try {
      const res = await fetch(`${sim.knobs.callbackBaseUrl}/api/v3/hip/patient/share`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'REQUEST-ID': requestId, TIMESTAMP: new Date().toISOString(), 'X-HIP-ID': hipId, Authorization: `Bearer ${sim.token()}` },
        body: JSON.stringify(body),
      });
      await res.text();
      return res.status;
    } catch {
      return null;
    }
  }

  return {
    /** Routes the gateway paths of this flow; true when it answered. */
    route(req: http.IncomingMessage, res: http.ServerResponse, path: string, body: unknown): boolean {
      if (req.method === 'POST' && path === ON_SHARE) {
        onShare(req, res, path, body);
        return true;
      }
      return false;
    },
    share: {
      onShares,
      refusedOnShares,
      faults,
      /**
       * A person scans the counter's code and shares their profile: the gateway posts it to the
       * HIP, `copies` times under one REQUEST-ID (its redelivery). Returns the REQUEST-ID and the
       * status of each copy.
       */
      async send(hipId: string, counter: string, patient: SharePatient, copies = 1, requestId: string = randomUUID()): Promise<{ requestId: string; statuses: (number | null)[] }> {
        const body = { intent: 'PROFILE_SHARE', metaData: { hipId, context: counter, hprId: null, latitude: 20.5937, longitude: 78.9629 }, profile: { patient } };
        const entry = shares.get(requestId) ?? { body, statuses: [] as (number | null)[] };
        shares.set(requestId, entry);
        for (let i = 0; i < copies; i++) entry.statuses.push(await post(requestId, hipId, body));
        return { requestId, statuses: entry.statuses };
      },
      /** The on-share answering a share, once it came. */
      answerTo: (requestId: string) => onShares.filter((o) => o.answers === requestId),
    },
  };
}
