import { z } from 'zod';
import { FACILITY_NAME } from '../services/facility';
import { initialize, setupStatus } from '../services/setup';
import { method } from './contract';
import { newPassword, phone, requiredLongText, requiredText, username } from './fields';

export const setupMethods = {
  'setup.status': method({
    input: z.object({}).optional(),
    access: 'public',
    mutates: false,
    run: (ctx) => setupStatus(ctx),
  }),
  'setup.initialize': method({
    input: z.object({
      facility: z.object(
        {
          // The registry's rule from the start, so the name can go to HFR unchanged later.
          name: requiredText('Clinic name', 150).regex(FACILITY_NAME, 'Clinic name may use letters, digits, _ . ( ) , / and single spaces only'),
          address: requiredLongText('Address', 500),
          phone,
        },
        { error: 'Clinic details are required' },
      ),
      admin: z.object(
        {
          username,
          fullName: requiredText('Full name', 120),
          password: newPassword,
        },
        { error: 'Administrator details are required' },
      ),
    }),
    access: 'public',
    mutates: true,
    run: (ctx, input) => initialize(ctx, input),
  }),
};
