import { z } from 'zod';
import { createStaff, listStaff, renameStaff, resetPassword, setActive } from '../services/staff';
import { method } from './contract';
import { id, newPassword, requiredText, role, username } from './fields';

export const staffMethods = {
  'staff.create': method({
    input: z.object({
      username,
      fullName: requiredText('Full name', 120),
      password: newPassword,
      roles: z.array(role, { error: 'Roles are required' }).min(1, 'Choose at least one role'),
      temporaryPassword: z.boolean({ error: 'temporaryPassword must be true or false' }).optional(),
    }),
    access: 'staff.manage',
    mutates: true,
    run: (ctx, input) => createStaff(ctx, input),
  }),
  'staff.list': method({
    input: z.object({}).optional(),
    access: 'staff.manage',
    mutates: false,
    run: (ctx) => listStaff(ctx),
  }),
  'staff.setActive': method({
    input: z.object({ userId: id('Staff member'), active: z.boolean({ error: 'Active must be true or false' }) }),
    access: 'staff.manage',
    mutates: true,
    run: (ctx, input) => setActive(ctx, input),
  }),
  /**
   * An administrator sets a new password for a staff member who forgot theirs: their sessions end,
   * a lockout is cleared, and they choose their own password at the next login.
   */
  'staff.resetPassword': method({
    input: z.object({ userId: id('Staff member'), newPassword }),
    access: 'staff.manage',
    mutates: true,
    run: (ctx, input) => resetPassword(ctx, input),
  }),
  /** A new username (e.g. for one two desks handed out offline; see docs/SYNC.md). */
  'staff.rename': method({
    input: z.object({ userId: id('Staff member'), username }),
    access: 'staff.manage',
    mutates: true,
    run: (ctx, input) => renameStaff(ctx, input),
  }),
};
