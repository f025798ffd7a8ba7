import { z } from 'zod';
import { BackupError, type BackupService } from '../services/backups';
import { ApiFailure, method, type ServiceContext } from './contract';

const file = z.string({ error: 'Choose a backup file' }).trim().min(1, 'Choose a backup file').max(1000);

function service(ctx: ServiceContext): BackupService {
  if (!ctx.backups) throw new ApiFailure('conflict', 'Backups are not available in this app.');
  return ctx.backups;
}

/** Runs a backup action, turning its refusals into API errors (the router audits them). */
function guarded<T>(fn: () => T, field?: string): T {
  try {
    return fn();
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    if (error.kind === 'invalid') throw new ApiFailure('invalid_input', error.message, field ? { [field]: error.message } : undefined);
    throw new ApiFailure(error.kind === 'not_found' ? 'not_found' : 'conflict', error.message);
  }
}

export const backupMethods = {
  'backups.status': method({
    input: z.object({}).optional(),
    access: 'backups.manage',
    mutates: false,
    run: (ctx) => service(ctx).status(),
  }),
  'backups.configure': method({
    input: z.object({
      folder: z.string({ error: 'The folder must be a path' }).trim().max(1000).nullable().optional(),
      enabled: z.boolean({ error: 'Automatic backups must be on or off' }).optional(),
    }),
    access: 'backups.manage',
    mutates: true,
    run: (ctx, input) => {
      ctx.describe({ entityType: 'backup', entityId: ctx.deviceId, detail: JSON.stringify(input) });
      return guarded(() => service(ctx).configure(input), 'folder');
    },
  }),
  'backups.runNow': method({
    input: z.object({}).optional(),
    access: 'backups.manage',
    mutates: true,
    run: (ctx) => {
      const backups = service(ctx);
      ctx.describe({ entityType: 'backup', entityId: ctx.deviceId, detail: `to ${backups.settings().folder ?? '(no folder)'}` });
      return guarded(() => backups.runNow('manual'));
    },
  }),
  'backups.list': method({
    input: z.object({}).optional(),
    access: 'backups.manage',
    mutates: false,
    run: (ctx) => service(ctx).list(),
  }),
  'backups.verify': method({
    input: z.object({ file }),
    access: 'backups.manage',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => {
      const result = guarded(() => service(ctx).verify(input.file), 'file');
      ctx.describe({ entityType: 'backup', entityId: result.name, detail: result.ok ? 'verified: ok' : `verified: ${result.problems.join(' ')}` });
      return result;
    },
  }),
  'backups.restore': method({
    input: z.object({ file }),
    access: 'backups.manage',
    mutates: true,
    run: (ctx, input) => {
      const staged = guarded(() => service(ctx).stageRestore(input.file), 'file');
      ctx.describe({ entityType: 'backup', entityId: staged.from, detail: `restore staged; the live database will be kept as ${staged.replacedWillBeKeptAs}` });
      return staged;
    },
  }),
  'backups.cancelRestore': method({
    input: z.object({}).optional(),
    access: 'backups.manage',
    mutates: true,
    run: (ctx) => {
      ctx.describe({ entityType: 'backup', entityId: ctx.deviceId, detail: 'staged restore cancelled' });
      return { cancelled: service(ctx).cancelRestore() };
    },
  }),
};
