import { z } from 'zod';
import { initialize, setupStatus } from '../services/setup';
import { method } from './contract';
import { newPassword, phone, requiredText, username } from './fields';

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
          name: requiredText('Clinic name', 150),
          address: requiredText('Address', 500),
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
