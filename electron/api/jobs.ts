import { z } from 'zod';
import { ApiFailure, method } from './contract';
import { id } from './fields';

export const jobMethods = {
  'jobs.get': method({
    input: z.object({ jobId: id('Job') }),
    access: 'session',
    mutates: false,
    run: (ctx, input) => {
      const job = ctx.jobs.get(input.jobId);
      if (!job) throw new ApiFailure('not_found', 'No such job (jobs are forgotten when the app restarts).', { jobId: 'No such job' });
      return job;
    },
  }),
  'jobs.list': method({
    input: z.object({}).optional(),
    access: 'session',
    mutates: false,
    run: (ctx) => ctx.jobs.list(),
  }),
};
