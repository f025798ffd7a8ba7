import { z } from 'zod';
import { AUDIT_OUTCOMES } from '../../db/schema';
import { listAudit } from '../services/audit';
import { method } from './contract';
import { lineText } from './text';

const instant = z.number({ error: 'Must be a time in milliseconds' }).int().nonnegative();

export const auditMethods = {
  'audit.list': method({
    input: z
      .object({
        from: instant.optional(),
        to: instant.optional(),
        before: instant.optional(),
        beforeId: lineText('Before').max(64).optional(),
        userId: lineText('User').optional(),
        // By name rather than id: failed logins with a mistyped or unknown username have no user id.
        username: lineText('Username').trim().min(1, 'Username is required').max(64).optional(),
        action: lineText('Action').max(100).optional(),
        entityType: lineText('Record type').max(60).optional(),
        entityId: lineText('Record').max(100).optional(),
        outcome: z.enum(AUDIT_OUTCOMES).optional(),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .refine((f) => f.from === undefined || f.to === undefined || f.from <= f.to, { path: ['to'], error: 'Must not be before "from"' })
      .default({ limit: 100 }),
    access: 'audit.read',
    mutates: false,
    run: (ctx, input) => listAudit(ctx, input),
  }),
};
