import { inArray } from 'drizzle-orm';
import { localMeta } from '../../../db/schema';
import { BP, mulDivHalfUp } from '../../../shared/money';
import type { Ctx } from './common';

/* Settings: the discount a counter may give without an administrator. */

/**
 * A discount (line discounts plus the invoice discount) above the lower of these needs an
 * administrator: 10% of the gross, or ₹500. Kept per workstation in local_meta, like the
 * workstation's number series.
 */
export const DISCOUNT_LIMIT_DEFAULTS = { discountLimitBp: 1000, discountLimitPaise: 50_000 } as const;
export type BillingSettings = { discountLimitBp: number; discountLimitPaise: number };

const SETTING_KEYS: Record<keyof BillingSettings, string> = {
  discountLimitBp: 'billing.discountLimitBp',
  discountLimitPaise: 'billing.discountLimitPaise',
};

export function getBillingSettings(ctx: Pick<Ctx, 'db'>): BillingSettings {
  const rows = ctx.db.select().from(localMeta).where(inArray(localMeta.key, Object.values(SETTING_KEYS))).all();
  const get = (k: keyof BillingSettings) => {
    const v = rows.find((r) => r.key === SETTING_KEYS[k])?.value;
    const n = v === undefined ? NaN : Number(v);
    return Number.isSafeInteger(n) && n >= 0 ? n : DISCOUNT_LIMIT_DEFAULTS[k];
  };
  return { discountLimitBp: get('discountLimitBp'), discountLimitPaise: get('discountLimitPaise') };
}

export function setBillingSettings(ctx: Ctx, next: Partial<BillingSettings>): BillingSettings {
  for (const [k, value] of Object.entries(next) as [keyof BillingSettings, number | undefined][]) {
    if (value === undefined) continue;
    const key = SETTING_KEYS[k];
    ctx.db.insert(localMeta).values({ key, value: String(value) }).onConflictDoUpdate({ target: localMeta.key, set: { value: String(value) } }).run();
  }
  const out = getBillingSettings(ctx);
  ctx.describe({ entityType: 'workstation', entityId: ctx.deviceId, detail: `billing settings ${JSON.stringify(out)}` });
  return out;
}

export function discountLimitPaise(settings: BillingSettings, grossPaise: number): number {
  return Math.min(mulDivHalfUp(grossPaise, settings.discountLimitBp, BP), settings.discountLimitPaise);
}
