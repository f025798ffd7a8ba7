import { z } from 'zod';
import { importAccess, setImportFolder } from '../services/file-access';
import { hasPermission } from '../services/permissions';
import { ApiFailure, method, type ServiceContext, type Session } from './contract';
import { pathText } from './text';

/** Only those who may import reference data or drugs need to name files at all. */
function requireImporter(ctx: ServiceContext & { session: Session }) {
  if (hasPermission(ctx.session.roles, 'reference.manage') || hasPermission(ctx.session.roles, 'formulary.manage')) return;
  throw new ApiFailure('forbidden', 'Your role does not allow this. Ask an administrator if you need it.');
}

export const fileMethods = {
  /** Where imports may be read from, and whether this app can open a file chooser. */
  'files.importFolder': method({
    input: z.object({}).optional(),
    access: 'session',
    mutates: false,
    run: (ctx) => {
      requireImporter(ctx);
      return { folder: importAccess(ctx.files, ctx.sqlite).folder, canChoose: ctx.files.choose !== undefined };
    },
  }),
  'files.setImportFolder': method({
    input: z.object({ folder: pathText('Folder', 'Choose the import folder').trim().min(1, 'Choose the import folder').max(1000) }),
    access: 'settings.manage',
    mutates: true,
    run: (ctx, input) => {
      const folder = setImportFolder(ctx.sqlite, input.folder);
      ctx.describe({ entityType: 'workstation', entityId: ctx.deviceId, detail: `import folder set to ${folder}` });
      return { folder, canChoose: ctx.files.choose !== undefined };
    },
  }),
  /**
   * The desktop app's Open dialog, as a job (the person takes their time): the file or folder
   * picked may then be imported, from wherever it is. The browser host has no dialog.
   */
  'files.choose': method({
    input: z.object({ kind: z.enum(['csv', 'folder'], { error: 'Choose a file (csv) or a folder' }) }),
    access: 'session',
    mutates: false,
    run: (ctx, input) => {
      requireImporter(ctx);
      const choose = ctx.files.choose;
      if (!choose) {
        const folder = importAccess(ctx.files, ctx.sqlite).folder;
        throw new ApiFailure('conflict', `This app cannot open a file chooser: put the file in the import folder (${folder}) and type its path.`);
      }
      const grants = ctx.files.grants;
      return ctx.jobs.start('files.choose', async () => {
        const picked = await choose(input.kind === 'csv' ? { kind: 'file', title: 'Choose the CSV file', extensions: ['csv'] } : { kind: 'folder', title: 'Choose the folder' });
        return { path: picked === null ? null : grants.grant(picked) };
      });
    },
  }),
};
