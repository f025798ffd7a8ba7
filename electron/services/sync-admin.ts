import type { ServiceContext } from '../core/context';
import { ApiFailure } from '../core/context';
import { requestEnrolment } from '../sync/enrol';
import { outboxList } from '../sync/outbox';
import { readHeldPull } from '../sync/apply';
import { listConflicts } from '../sync/conflicts';
import { readSyncSettings, resetPullCursor, writeSyncSettings } from '../sync/state';
import { isInitialized } from './setup';
import { setWorkstation, getWorkstation } from './workstation';

type Ctx = ServiceContext;

/** "Sync is held up: ...": a pulled row this desk cannot store, which stops the pull right before it. */
function heldUp(ctx: Ctx) {
  const held = readHeldPull(ctx.sqlite);
  if (!held) return null;
  return { ...held, message: `Sync is held up: the ${held.table} row '${held.label}' cannot be saved here: ${held.reason}. Fix it on this desk (e.g. rename the row here); sync tries again every cycle.` };
}

export function syncStatus(ctx: Ctx) {
  const settings = readSyncSettings(ctx.sqlite);
  return {
    heldUp: heldUp(ctx),
    /** Uniqueness races this desk lost (newest first), with what was done and what to do. */
    conflicts: listConflicts(ctx.sqlite),
    ...ctx.sync.status(),
    enabled: settings.enabled,
    enrolled: settings.credential !== null,
    clinicId: settings.clinicId,
    deviceId: ctx.deviceId,
    deviceName: settings.deviceName,
    seriesPrefix: getWorkstation(ctx.db).seriesPrefix,
  };
}

export function configureSync(ctx: Ctx, input: { serverUrl?: string | undefined; enabled?: boolean | undefined }) {
  const settings = readSyncSettings(ctx.sqlite);
  if (input.enabled && !settings.credential) {
    throw new ApiFailure('conflict', 'Enrol this workstation with a code from the sync server first.', { enabled: 'Not enrolled yet' });
  }
  writeSyncSettings(ctx.sqlite, { ...(input.serverUrl !== undefined ? { serverUrl: input.serverUrl } : {}), ...(input.enabled !== undefined ? { enabled: input.enabled } : {}) });
  ctx.describe({ entityType: 'sync', entityId: ctx.deviceId, detail: JSON.stringify(input) });
  ctx.sync.restart();
  return syncStatus(ctx);
}

/**
 * Enrols this workstation with the clinic's sync server in the background: the one-time code buys a
 * device credential and this workstation's number-series prefix; then syncing starts. A workstation
 * that is not set up yet joins an existing clinic this way and receives its staff and records.
 */
export function startEnrolment(ctx: Ctx, input: { serverUrl: string; code: string }) {
  const settings = readSyncSettings(ctx.sqlite);
  if (settings.credential) throw new ApiFailure('conflict', 'This workstation is already enrolled.', { code: 'Already enrolled' });
  const joining = !isInitialized(ctx);
  const job = ctx.jobs.start('sync.enrol', async (control) => {
    control.progress(0, 2, 'Contacting the sync server…');
    const enrolled = await requestEnrolment(input.serverUrl, input.code, ctx.deviceId);
    ctx.sqlite.transaction(() => {
      writeSyncSettings(ctx.sqlite, { serverUrl: input.serverUrl, clinicId: enrolled.clinicId, credential: enrolled.credential, deviceName: enrolled.deviceName, enabled: true });
      setWorkstation(ctx.db, { seriesPrefix: enrolled.seriesPrefix, tokenPrefix: enrolled.seriesPrefix === 'A' ? '' : enrolled.seriesPrefix });
      resetPullCursor(ctx.sqlite);
    })();
    control.progress(1, 2, 'Enrolled; syncing…');
    ctx.sync.restart();
    return { clinicId: enrolled.clinicId, seriesPrefix: enrolled.seriesPrefix, deviceName: enrolled.deviceName, joining };
  });
  ctx.describe({ entityType: 'sync', entityId: ctx.deviceId, detail: `enrolment with ${input.serverUrl} (job ${job.id})` });
  return job;
}

export function outbox(ctx: Ctx, kind: 'pending' | 'rejected', limit: number) {
  return outboxList(ctx.sqlite, kind, limit);
}
