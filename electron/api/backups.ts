import { z } from 'zod';
import { parseRecoveryCode } from '../keys';
import { confirmOwnPassword } from '../services/auth';
import { BackupError, type BackupService } from '../services/backups';
import { ApiFailure, method, type ServiceContext } from './contract';
import { lineText, pathText, secretText } from './text';

const file = pathText('Backup file', 'Choose a backup file').trim().min(1, 'Choose a backup file').max(1000);

/**
 * Another installation's recovery code (see electron/keys.ts), read into its key here so a
 * mistyped code is a field error before any file is touched. Blank means "this installation's
 * key". The code itself never reaches the audit row: only the file name and outcome do.
 */
const recoveryKey = lineText('Recovery key', 'The recovery key must be text')
  .max(200, 'That is too long for a recovery key')
  .optional()
  .transform((code, ctx): Buffer | null => {
    if (code === undefined || code.trim() === '') return null;
    const parsed = parseRecoveryCode(code);
    if (parsed.ok) return parsed.key;
    ctx.addIssue({ code: 'custom', message: parsed.message });
    return z.NEVER;
  });

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
      folder: pathText('Folder', 'The folder must be a path').trim().max(1000).nullable().optional(),
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
  /**
   * This installation's database key as a recovery code, for paper: the only way to open its
   * backups on another computer. Audited as "recovery key shown", never with the code.
   */
  'backups.recoveryKey': method({
    input: z.object({ password: secretText('Password', 'Your password is required').min(1, 'Your password is required').max(200) }),
    access: 'backups.manage',
    mutates: true,
    run: (ctx, input) => {
      // An unattended desk with an administrator logged in must not hand out the key to every backup.
      confirmOwnPassword(ctx, input.password, 'password', 'The password is wrong');
      const code = guarded(() => service(ctx).recoveryCode());
      // Against the user, like a login: a right password ends a run of wrong ones.
      ctx.describe({ entityType: 'user', entityId: ctx.session.userId, detail: 'recovery key shown' });
      return { recoveryKey: code };
    },
  }),
  'backups.verify': method({
    input: z.object({ file, recoveryKey }),
    access: 'backups.manage',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => {
      const result = guarded(() => service(ctx).verify(input.file, input.recoveryKey), 'file');
      const how = result.openedWith === 'recovery-key' ? ' (opened with a recovery key)' : '';
      ctx.describe({ entityType: 'backup', entityId: result.name, detail: result.ok ? `verified: ok${how}` : `verified: ${result.problems.join(' ')}` });
      return result;
    },
  }),
  'backups.restore': method({
    input: z.object({ file, recoveryKey }),
    access: 'backups.manage',
    mutates: true,
    run: (ctx, input) => {
      const staged = guarded(() => service(ctx).stageRestore(input.file, input.recoveryKey), 'file');
      const how = staged.recovered ? "; made by another installation, re-encrypted with this installation's key" : '';
      ctx.describe({ entityType: 'backup', entityId: staged.from, detail: `restore staged${how}; the live database will be kept as ${staged.replacedWillBeKeptAs}` });
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
