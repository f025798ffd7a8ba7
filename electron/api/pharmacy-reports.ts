import { z } from 'zod';
import { movers, purchaseRegister, stockValuation } from '../services/pharmacy';
import { method } from './contract';
import { isoDate } from './fields';

/* The pharmacist's figures (docs/PHARMACY.md): stock valuation, the purchase register, fast and slow movers. */

const range = z
  .object({ from: isoDate('From'), to: isoDate('To') })
  .refine((v) => v.from <= v.to, { error: 'From must not be after To', path: ['to'] });

export const pharmacyReportMethods = {
  'pharmacy.valuation': method({
    input: z.object({}),
    access: 'pharmacy.read',
    mutates: false,
    run: (ctx) => stockValuation(ctx),
  }),
  'pharmacy.purchaseRegister': method({
    input: range,
    access: 'pharmacy.read',
    mutates: false,
    run: (ctx, input) => purchaseRegister(ctx, input.from, input.to),
  }),
  'pharmacy.movers': method({
    input: z.object({ from: isoDate('From'), to: isoDate('To'), limit: z.number().int().min(1).max(100).default(20) }).refine((v) => v.from <= v.to, { error: 'From must not be after To', path: ['to'] }),
    access: 'pharmacy.read',
    mutates: false,
    run: (ctx, input) => movers(ctx, input.from, input.to, input.limit),
  }),
};
