import { z } from 'zod';
import { changePassword, login, logout } from '../services/auth';
import { setupStatus } from '../services/setup';
import { method } from './contract';
import { newPassword } from './fields';
import { lineText, secretText } from './text';

export const authMethods = {
  'auth.login': method({
    input: z.object({
      username: lineText('Username', 'Username is required').trim().min(1, 'Username is required').max(64),
      password: secretText('Password', 'Password is required').min(1, 'Password is required').max(200),
    }),
    access: 'public',
    mutates: true,
    run: (ctx, input) => login(ctx, input),
  }),
  'auth.logout': method({
    input: z.object({}).optional(),
    access: 'session',
    mutates: true,
    run: (ctx) => {
      if (ctx.token) logout(ctx, ctx.token);
      return { loggedOut: true };
    },
  }),
  'auth.me': method({
    input: z.object({}).optional(),
    access: 'session',
    mutates: false,
    quietWithoutToken: true,
    run: (ctx) => {
      const { userId, username, fullName, roles } = ctx.session;
      return {
        user: { id: userId, username, fullName, roles },
        /** Set after an administrator reset the password: the screens ask for a new one first. */
        mustChangePassword: ctx.session.mustChangePassword === true,
        facilityName: setupStatus(ctx).facilityName,
        timeZone: ctx.settings.timeZone,
      };
    },
  }),
  /** The logged-in user's own password; the new one follows staff.create's rules. */
  'auth.changePassword': method({
    input: z.object({
      currentPassword: secretText('Current password', 'Current password is required').min(1, 'Current password is required').max(200),
      newPassword,
    }),
    access: 'session',
    mutates: true,
    run: (ctx, input) => changePassword(ctx, input),
  }),
};
