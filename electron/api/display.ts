import { z } from 'zod';
import { displayLinks, getDisplaySettings, setDisplaySettings } from '../services/waiting-room';
import { method } from './contract';

const view = (settings: ReturnType<typeof getDisplaySettings>) => ({ ...settings, links: displayLinks(settings) });

export const displayMethods = {
  /** This workstation's waiting-room display: on or off, its port, its key and the links for the TV. */
  'display.settings': method({
    input: z.object({}).optional(),
    access: 'settings.manage',
    mutates: false,
    run: (ctx) => view(getDisplaySettings(ctx.db)),
  }),
  'display.setSettings': method({
    input: z.object({
      enabled: z.boolean({ error: 'enabled must be true or false' }).optional(),
      port: z.number({ error: 'Port must be a number' }).int('Port must be a whole number').min(1024, 'Port must be 1024 or more').max(65535, 'Port must be 65535 or less').optional(),
      newKey: z.boolean({ error: 'newKey must be true or false' }).optional(),
    }),
    access: 'settings.manage',
    mutates: true,
    run: (ctx, input) => {
      const next = setDisplaySettings(ctx.db, input);
      // The key itself stays out of the audit log: whoever reads the log must not be able to open the display.
      const parts = [next.enabled ? `on, port ${next.port}` : 'off', input.newKey ? 'new link made (the old one stops working)' : ''].filter(Boolean);
      ctx.describe({ entityType: 'workstation', entityId: ctx.deviceId, detail: `waiting-room display ${parts.join('; ')}` });
      return view(next);
    },
  }),
};
