import { desc } from 'drizzle-orm';
import { deviceRevocations } from '../../db/schema';
import type { AuthedContext, ServiceContext } from '../core/context';
import { ApiFailure } from '../core/context';
import { requestEnrolment } from '../sync/enrol';
import { outboxList } from '../sync/outbox';
import { readHeldPull } from '../sync/apply';
import { listConflicts } from '../sync/conflicts';
import { listSetAside } from './set-aside';
import { readKnownDevices, readSyncSettings, resetPullCursor, writeSyncSettings } from '../sync/state';
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
    /** This desk's rows that lost a race they cannot be renamed out of, kept aside (newest first). */
    setAside: listSetAside(ctx),
    ...ctx.sync.status(),
    enabled: settings.enabled,
    enrolled: settings.credential !== null,
    clinicId: settings.clinicId,
    deviceId: ctx.deviceId,
    deviceName: settings.deviceName,
    seriesPrefix: getWorkstation(ctx.db).seriesPrefix,
  };
}

/**
 * An enrolled desk numbers in the series the sync server gave it: the server refuses numbers of any
 * other series (shared/sync-rules.ts `pushingDevice`), so the prefix is not changed here then.
 */
export function refuseSeriesChangeWhenEnrolled(ctx: Ctx, seriesPrefix: string | undefined) {
  const current = getWorkstation(ctx.db).seriesPrefix;
  if (seriesPrefix === undefined || seriesPrefix === current || !readSyncSettings(ctx.sqlite).credential) return;
  throw new ApiFailure('conflict', `This workstation numbers in series ${current}, given by the sync server: another series would be refused by the server.`, {
    seriesPrefix: `Given by the sync server (${current})`,
  });
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
  // A desk that already handed out numbers (MRNs, bills) before it was enrolled asks to keep its
  // series letter: the server refuses numbers outside a desk's series, so those would never sync.
  const numbered = !joining && ctx.sqlite.prepare('SELECT 1 FROM number_series LIMIT 1').get() !== undefined;
  const keepSeries = numbered ? getWorkstation(ctx.db).seriesPrefix : undefined;
  const job = ctx.jobs.start('sync.enrol', async (control) => {
    control.progress(0, 2, 'Contacting the sync server…');
    const enrolled = await requestEnrolment(input.serverUrl, input.code, ctx.deviceId, keepSeries);
    ctx.sqlite.transaction(() => {
      writeSyncSettings(ctx.sqlite, { serverUrl: input.serverUrl, clinicId: enrolled.clinicId, credential: enrolled.credential, deviceName: enrolled.deviceName, enabled: true });
      setWorkstation(ctx.db, { seriesPrefix: enrolled.seriesPrefix, tokenPrefix: enrolled.seriesPrefix === 'A' ? '' : enrolled.seriesPrefix });
      resetPullCursor(ctx.sqlite);
    })();
    control.progress(1, 2, 'Enrolled; syncing…');
    ctx.sync.restart();
    // The letter it numbered in was another desk's: said now, not only through refusals later.
    const warning =
      keepSeries !== undefined && enrolled.seriesPrefix !== keepSeries
        ? `This workstation now numbers in series ${enrolled.seriesPrefix}: series ${keepSeries} is another workstation's in this clinic, so what it numbered before enrolling (MRNs, bills, receipts in ${keepSeries}) will be refused by the server and listed under “Refused by the server”.`
        : null;
    return { clinicId: enrolled.clinicId, seriesPrefix: enrolled.seriesPrefix, deviceName: enrolled.deviceName, joining, warning };
  });
  ctx.describe({ entityType: 'sync', entityId: ctx.deviceId, detail: `enrolment with ${input.serverUrl} (job ${job.id})` });
  return job;
}

export function outbox(ctx: Ctx, kind: 'pending' | 'rejected' | 'flagged', limit: number) {
  return outboxList(ctx.sqlite, kind, limit);
}

/**
 * The clinic's enrolled workstations as the server last listed them (a fresh list is asked for in
 * the background and announced when it arrives). Offline, the last known list, saying so.
 */
export function knownDevices(ctx: Ctx) {
  ctx.sync.refreshDevices();
  const known = readKnownDevices(ctx.sqlite);
  const online = ctx.sync.status().state === 'online';
  // Revocations made here but not yet on the server still show as such.
  const revokedHere = new Map(ctx.db.select().from(deviceRevocations).orderBy(desc(deviceRevocations.createdAt)).all().map((r) => [r.revokedDeviceId, r]));
  const devices = (known?.devices ?? []).map((d) => {
    const local = revokedHere.get(d.id);
    return {
      ...d,
      revokedAt: d.revokedAt ?? local?.createdAt ?? null,
      revokeReason: local?.reason ?? null,
      thisWorkstation: d.id === ctx.deviceId,
    };
  });
  const note = known === null ? (online ? 'Asking the server for the list of workstations…' : 'Offline: the list of workstations has not been received from the server yet.') : online ? null : 'Offline: last known list.';
  // Who registered their own first signing key, on which workstation: an administrator checks these.
  return { devices, firstKeys: known?.firstKeys ?? [], fetchedAt: known?.fetchedAt ?? null, offline: !online, note };
}

/**
 * Removes a workstation from the clinic (a lost or stolen laptop): a synced, insert-only
 * revocation row, which the server applies by refusing that workstation from then on.
 */
export function revokeDevice(ctx: AuthedContext, input: { deviceId: string; reason: string }) {
  if (input.deviceId === ctx.deviceId) {
    throw new ApiFailure('conflict', 'This is the workstation you are using: remove it from another workstation.', { deviceId: 'This workstation' });
  }
  const target = readKnownDevices(ctx.sqlite)?.devices.find((d) => d.id === input.deviceId);
  if (!target) {
    throw new ApiFailure('not_found', 'No such workstation in the clinic: open the Sync screen while online to load the list.', { deviceId: 'Unknown workstation' });
  }
  const already = ctx.db.select().from(deviceRevocations).all().some((r) => r.revokedDeviceId === input.deviceId);
  if (target.revokedAt !== null || already) throw new ApiFailure('conflict', `${target.name} has already been removed from the clinic.`, { deviceId: 'Already removed' });
  const row = ctx.write.insert(deviceRevocations, { revokedDeviceId: input.deviceId, reason: input.reason, revokedBy: ctx.session.userId });
  ctx.describe({ entityType: 'device', entityId: input.deviceId, detail: `removed ${target.name} (series ${target.seriesPrefix}) from the clinic: ${input.reason}` });
  return { id: row.id, deviceId: input.deviceId, name: target.name };
}
