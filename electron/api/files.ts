import { z } from 'zod';
import { importAccess, setImportFolder } from '../services/file-access';
import { ApiFailure, method } from './contract';
import { pathText } from './text';

export const fileMethods = {
  /** Where imports may be read from, and whether this app can open a file chooser. */
  'files.importFolder': method({
    input: z.object({}).optional(),
    access: 'files.import',
    mutates: false,
    run: (ctx) => {
      return { folder: importAccess(ctx.files, ctx.sqlite).folder, canChoose: ctx.files.choose !== undefined };
    },
  }),
  'files.setImportFolder': method({
    input: z.object({ folder: pathText('Folder', 'Choose the import folder').trim().min(1, 'Choose the import folder').max(1000) }),
    access: 'settings.manage',
    mutates: true,
    run: (ctx, input) => {
      const folder = setImportFolder(ctx.sqlite, ctx.files, input.folder);
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
    access: 'files.import',
    mutates: false,
    run: (ctx, input) => {
      const choose = ctx.files.choose;
      if (!choose) {
        const folder = importAccess(ctx.files, ctx.sqlite).folder;
        throw new ApiFailure('conflict', `This app cannot open a file chooser: put the file in the import folder (${folder}) and type its path.`);
      }
      const grants = ctx.files.grants;
      return ctx.jobs.start('files.choose', async () => {
        const picked = await choose(input.kind === 'csv' ? { kind: 'file', title: 'Choose the CSV file', extensions: ['csv', 'gz'] } : { kind: 'folder', title: 'Choose the folder' });
        return { path: picked === null ? null : grants.grant(picked) };
      });
    },
  }),
};
