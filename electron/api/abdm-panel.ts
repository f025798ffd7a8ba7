import { z } from 'zod';
import { abdmPanel } from '../services/abdm-panel';
import { askServer, signedDeskRequest } from '../services/abdm';
import { method } from './contract';
import { id } from './fields';

/** The patient's ABDM panel and the Facility screen's ABDM connection check (docs/ABDM.md). */
export const abdmPanelMethods = {
  /**
   * The ABHA and its verification for whoever may see the patient; the linked visits, consents and
   * transfers only for roles that read clinical data (null otherwise). Every read is audited.
   */
  'abdm.panel': method({
    input: z.object({ patientId: id('Patient') }),
    access: 'patients.read',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => abdmPanel(ctx, input.patientId),
  }),
  /**
   * Asks the clinic's server for its ABDM settings (never the secret) and a fresh gateway session
   * now; the server checks again that the person is an administrator. Runs as a job (the server asks
   * the gateway); offline the answer says the connection to the clinic server is needed.
   */
  'abdm.checkConnection': method({
    input: z.object({}).default({}),
    access: 'facility.manage',
    mutates: false,
    auditReads: true,
    run: (ctx) => {
      const request = signedDeskRequest(ctx, 'abdm.check', {});
      return ctx.jobs.start('abdm.checkConnection', async () => {
        const answer = await askServer(ctx.sync, request);
        if (!answer.ok && answer.code === 'offline') return { ok: false, code: 'offline', message: 'Needs the connection to the clinic server.' };
        const session = answer.ok ? String(answer.value.session) : answer.code;
        ctx.afterwards(answer.ok ? 'abdm.connectionChecked' : 'abdm.connectionCheckRefused', () => ctx.describe({ entityType: 'facility', entityId: null, detail: `ABDM connection check: ${session}` }));
        return answer.ok ? { ok: true, ...answer.value } : { ...answer };
      });
    },
  }),
};
