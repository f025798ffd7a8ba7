import { z } from 'zod';
import { ROLES } from '../../db/schema';

/** Field schemas shared by several methods, with messages a receptionist can act on. */
export const requiredText = (label: string, max = 200) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .max(max, `${label} must be at most ${max} characters`);

export const username = z
  .string({ error: 'Username is required' })
  .trim()
  .min(3, 'Username must be at least 3 characters')
  .max(32, 'Username must be at most 32 characters')
  .regex(/^[A-Za-z0-9._-]+$/, 'Username may use letters, digits, dot, dash and underscore only');

export const newPassword = z
  .string({ error: 'Password is required' })
  .min(8, 'Password must be at least 8 characters')
  .max(200, 'Password must be at most 200 characters');

export const phone = z
  .string({ error: 'Phone is required' })
  .trim()
  .regex(/^\+?[0-9][0-9 -]{5,18}[0-9]$/, 'Phone must be digits (spaces, dashes and a leading + allowed)');

export const role = z.enum(ROLES, { error: `Role must be one of: ${ROLES.join(', ')}` });

export const id = (label: string) => z.string({ error: `${label} is required` }).uuid(`${label} is not a valid id`);
