import { z } from 'zod';
import { canReadJobDocument, canSeeJob } from '../services/job-access';
import { ApiFailure, method, type ServiceContext, type Session } from './contract';
import { id } from './fields';

// Another user's job answers exactly like a job that never existed: ids are not a way to probe.
const NO_SUCH_JOB = () => new ApiFailure('not_found', 'No such job (jobs are forgotten when the app restarts).', { jobId: 'No such job' });

function visibleJob(ctx: ServiceContext & { session: Session }, jobId: string) {
  const view = ctx.jobRunner.get(jobId);
  const owner = ctx.jobRunner.ownerOf(jobId);
  if (!view || !owner || !canSeeJob(ctx.session, view, owner)) throw NO_SUCH_JOB();
  return { view, owner };
}

export const jobMethods = {
  'jobs.get': method({
    input: z.object({ jobId: id('Job') }),
    access: 'session',
    mutates: false,
    run: (ctx, input) => visibleJob(ctx, input.jobId).view,
  }),
  'jobs.list': method({
    input: z.object({}).optional(),
    access: 'session',
    mutates: false,
    run: (ctx) => ctx.jobRunner.list().filter((j) => canSeeJob(ctx.session, j.view, j.owner)).map((j) => j.view),
  }),
  /** The PDF a finished job made, for the person who asked for it; every read is audited. */
  'jobs.document': method({
    input: z.object({ jobId: id('Job') }),
    access: 'session',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => {
      const { view, owner } = visibleJob(ctx, input.jobId);
      const document = ctx.jobRunner.document(input.jobId);
      if (!canReadJobDocument(ctx.session, owner) || !document) {
        if (view.status === 'running') throw new ApiFailure('conflict', 'The document is not ready yet.', { jobId: 'Still running' });
        throw NO_SUCH_JOB();
      }
      ctx.describe({ entityType: owner.entityType ?? 'jobs', entityId: owner.entityId ?? view.id, detail: `${view.kind}: ${document.fileName}` });
      return document;
    },
  }),
};
