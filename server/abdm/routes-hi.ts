import type { ServerDb } from '../db/open';
import type { AbdmBridgeOptions, CallbackRoute } from './bridge';
import type { AbdmConfig } from './config';
import { consentNotifyRoute } from './consent';
import type { AbdmGatewayClient } from './gateway';
import { healthInfoRequestRoute } from './health-info';

/** What the consent and health-information routes share with the bridge. */
export interface HipContext {
  db: ServerDb;
  client: AbdmGatewayClient;
  config: AbdmConfig;
  options: AbdmBridgeOptions;
  /** Work started by a callback that must not hold up its answer (acknowledgements, transfers). */
  track(work: Promise<unknown>): void;
}

/**
 * The HIP's consent and health-information callbacks (docs/ABDM.md "Consents and health-information
 * transfer"), spread into the bridge's routes with one line; `idle` waits for their background work.
 */
export function healthInfoRoutes(base: Omit<HipContext, 'track'>): { routes: CallbackRoute[]; idle: () => Promise<void> } {
  const pending = new Set<Promise<unknown>>();
  const ctx: HipContext = {
    ...base,
    track(work) {
      // Failures are already in abdm_exchanges (every call and push attempt is audited).
      const p = work.catch(() => undefined);
      pending.add(p);
      void p.finally(() => pending.delete(p));
    },
  };
  return {
    routes: [consentNotifyRoute(ctx), healthInfoRequestRoute(ctx)],
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
