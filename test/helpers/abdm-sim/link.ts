/**
 * The simulator's HIP-initiated linking (ABDM v3 hiecm M2): `POST /api/hiecm/hip/v3/link/carecontext`
 * with the link token in `X-LINK-TOKEN` and the HIP's id in `X-HIP-ID`, body
 * {abhaNumber?, abhaAddress, patient: [{referenceNumber, display, careContexts: [{referenceNumber,
 * display}], hiType, count}]}; 202, then `<callback>/api/v3/link/on_carecontext` with
 * {abhaAddress, status, response: {requestId}}.
 */
import type http from 'node:http';
import type { SimContext, SimEndpoint } from './index';

export const SIM_HI_TYPES = new Set(['OPConsultation', 'Prescription', 'DischargeSummary', 'DiagnosticReport', 'ImmunizationRecord', 'HealthDocumentRecord', 'WellnessRecord', 'Invoice']);

export interface SimLinked {
  abhaAddress: string;
  patientReference: string;
  careContext: string;
  hiType: string;
  requestId: string;
}

const str = (v: unknown) => typeof v === 'string' && v.trim() !== '';

/** Why the body is not what link/carecontext takes, or null. */
export function patientEntriesProblem(patient: unknown): string | null {
  if (!Array.isArray(patient) || patient.length === 0) return 'patient must be a non-empty list';
  for (const e of patient as Record<string, unknown>[]) {
    if (!e || typeof e !== 'object') return 'patient entry is not an object';
    if (!str(e.referenceNumber) || !str(e.display)) return 'patient.referenceNumber and display are required';
    if (!str(e.hiType) || !SIM_HI_TYPES.has(String(e.hiType))) return `patient.hiType ${String(e.hiType)} is not an hiType`;
    if (!Array.isArray(e.careContexts) || e.careContexts.length === 0) return 'patient.careContexts must be a non-empty list';
    if ((e.careContexts as Record<string, unknown>[]).some((c) => !c || !str(c.referenceNumber) || !str(c.display))) return 'careContexts[].referenceNumber and display are required';
    if (e.count !== e.careContexts.length) return 'patient.count must be the number of care contexts';
  }
  return null;
}

export function linkSim(ctx: SimContext): SimEndpoint<{ linked: SimLinked[] }> {
  const linked: SimLinked[] = [];
  return {
    api: { linked },
    handle(req: http.IncomingMessage, res: http.ServerResponse, path: string, body: unknown) {
      if (path !== '/api/hiecm/hip/v3/link/carecontext') return false;
      const auth = ctx.authProblem(req);
      if (auth) return ctx.answer(req, res, path, body, ...auth), true;
      const hipId = String(req.headers['x-hip-id'] ?? '');
      if (!hipId || (ctx.options.hipIds && !ctx.options.hipIds.includes(hipId))) return ctx.answer(req, res, path, body, 400, ctx.error('ABDM-1035', 'Invalid HIP ID')), true;
      const b = (body ?? {}) as Record<string, unknown>;
      const problem = !str(b.abhaAddress) ? 'abhaAddress is required' : (b.abhaNumber !== undefined && !str(b.abhaNumber) ? 'abhaNumber must be text' : patientEntriesProblem(b.patient));
      if (problem) return ctx.answer(req, res, path, body, 400, ctx.error('ABDM-1006', `Bad Request, invalid request Body: ${problem}`)), true;
      const token = String(req.headers['x-link-token'] ?? '');
      if (ctx.linkTokens.get(token) !== b.abhaAddress) return ctx.answer(req, res, path, body, 400, ctx.error('ABDM-1047', 'Invalid link token')), true;
      const requestId = String(req.headers['request-id']);
      if (ctx.seenRequestIds.has(requestId)) return ctx.answer(req, res, path, body, 400, ctx.error('ABDM-1094', 'Duplicate request')), true;
      ctx.seenRequestIds.add(requestId);
      for (const e of b.patient as Record<string, unknown>[]) {
        for (const c of e.careContexts as Record<string, unknown>[]) {
          linked.push({ abhaAddress: String(b.abhaAddress), patientReference: String(e.referenceNumber), careContext: String(c.referenceNumber), hiType: String(e.hiType), requestId });
        }
      }
      ctx.scheduleCallback('/api/v3/link/on_carecontext', hipId, { abhaAddress: b.abhaAddress, status: 'Successfully Linked care context', response: { requestId } });
      ctx.answer(req, res, path, body, 202);
      return true;
    },
  };
}
