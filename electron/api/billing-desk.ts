import { z } from 'zod';
import { visitsToBill } from '../services/billing-queue';
import { method } from './contract';
import { isoDate } from './fields';

export const billingDeskMethods = {
  /** Seen patients whose visit has no bill yet (today unless a date is given). */
  'billing.toBill': method({
    input: z.object({ date: isoDate('Date').optional() }).default({}),
    access: 'billing.read',
    mutates: false,
    run: (ctx, input) => visitsToBill(ctx, input.date ?? ctx.today()),
  }),
};
