import { z } from 'zod';
import { listLabTests, orderLabTests, pendingLabOrders, recordLabResult } from '../services/labs';
import { method } from './contract';
import { id, optionalText, requiredText } from './fields';

export const labMethods = {
  'labs.tests': method({
    input: z.object({}).optional(),
    access: 'clinical.read',
    mutates: false,
    run: (ctx) => listLabTests(ctx),
  }),
  'labs.order': method({
    input: z.object({ visitId: id('Visit'), testIds: z.array(id('Lab test')).min(1, 'Choose at least one test').max(30) }),
    access: 'consultations.write',
    mutates: true,
    run: (ctx, input) => orderLabTests(ctx, input),
  }),
  'labs.recordResult': method({
    input: z.object({
      orderId: id('Lab order'),
      value: requiredText('Result', 200),
      unit: optionalText('Unit', 30),
      referenceRange: optionalText('Reference range', 60),
      abnormal: z.boolean().optional(),
    }),
    access: 'labs.result',
    mutates: true,
    run: (ctx, input) => recordLabResult(ctx, input),
  }),
  'labs.pending': method({
    input: z.object({}).optional(),
    access: 'labs.result',
    mutates: false,
    auditReads: true,
    run: (ctx) => pendingLabOrders(ctx),
  }),
};
