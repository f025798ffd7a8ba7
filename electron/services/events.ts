import type { ClinicEvent } from '../bridge';
import type { ServiceContext } from '../core/context';
import { resolveSession } from './auth';
import { canSeeJob } from './job-access';
import type { JobOwner, JobView } from './jobs';

/** An event as the app raises it: a job's progress knows whose job it is. */
export type AppEvent = ClinicEvent & { owner?: JobOwner };

export type EventDecision = { send: ClinicEvent } | { skip: true } | { end: string };

/**
 * Whether an event may go to the holder of `token`, asked afresh for every event: a stream whose
 * session ended (logout, screen lock, idle expiry, password changed elsewhere) is ended, not fed.
 * Progress goes only to those who may see the job; what is sent is a notification, never a
 * document (jobs carry none: see services/jobs.ts).
 */
export function decideEvent(ctx: Pick<ServiceContext, 'db' | 'now' | 'settings'>, token: string | null, event: AppEvent): EventDecision {
  if (!token) return { skip: true };
  let check: ReturnType<typeof resolveSession>;
  try {
    check = resolveSession(ctx, token, { touch: false });
  } catch {
    // A busy database must not take the transport down with it: this event is simply not sent.
    return { skip: true };
  }
  if (!check.ok) return { end: check.reason };
  const { session } = check;
  // Until the person chooses their own password they may do nothing else, and see nothing else.
  if (session.mustChangePassword) return { skip: true };
  if (event.event === 'progress') {
    const job = event.payload as JobView;
    if (!event.owner || !canSeeJob(session, job, event.owner)) return { skip: true };
  }
  return { send: { event: event.event, payload: event.payload } };
}
