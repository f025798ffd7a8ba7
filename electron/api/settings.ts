import { z } from 'zod';
import { getWorkstation, setWorkstation } from '../services/workstation';
import { refuseSeriesChangeWhenEnrolled } from '../services/sync-admin';
import { method } from './contract';
import { lineText } from './text';

const prefix = (label: string, min: number) =>
  lineText(label)
    .trim()
    .toUpperCase()
    .regex(new RegExp(`^[A-Z0-9]{${min},4}$`), `${label} must be ${min === 0 ? 'empty or ' : ''}1 to 4 letters or digits`);

export const settingsMethods = {
  'settings.workstation': method({
    input: z.object({}).optional(),
    access: 'session',
    mutates: false,
    run: (ctx) => getWorkstation(ctx.db),
  }),
  'settings.setWorkstation': method({
    input: z.object({ seriesPrefix: prefix('Number series prefix', 1).optional(), tokenPrefix: prefix('Token prefix', 0).optional() }),
    access: 'settings.manage',
    mutates: true,
    run: (ctx, input) => {
      ctx.describe({ entityType: 'workstation', entityId: ctx.deviceId, detail: JSON.stringify(input) });
      refuseSeriesChangeWhenEnrolled(ctx, input.seriesPrefix);
      return setWorkstation(ctx.db, input);
    },
  }),
};
