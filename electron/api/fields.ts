import { z } from 'zod';
import { isPhoneNumber, normalisePhone } from '../../shared/phone';
import { ROLES } from '../../db/schema';
import { isValidDate } from '../../shared/clinic-time';
import { lineText, linesText, secretText } from './text';

/**
 * Field schemas shared by several methods, with messages a receptionist can act on. Every string
 * goes through the text rule in ./text (control characters, bidi overrides, NFC).
 */
export const requiredText = (label: string, max = 200) =>
  lineText(label, `${label} is required`)
    .trim()
    .min(1, `${label} is required`)
    .max(max, `${label} must be at most ${max} characters`);

/** Typed in a text area: line breaks and tabs are part of the text. */
export const requiredLongText = (label: string, max = 2000) =>
  linesText(label, `${label} is required`)
    .trim()
    .min(1, `${label} is required`)
    .max(max, `${label} must be at most ${max} characters`);

export const username = lineText('Username', 'Username is required')
  .trim()
  .min(3, 'Username must be at least 3 characters')
  .max(32, 'Username must be at most 32 characters')
  .regex(/^[A-Za-z0-9._-]+$/, 'Username may use letters, digits, dot, dash and underscore only');

export const newPassword = secretText('Password', 'Password is required')
  .min(8, 'Password must be at least 8 characters')
  .max(200, 'Password must be at most 200 characters');

/** A clinic's phone as it is printed (spaces kept), checked by the same rule as every other phone. */
export const phone = lineText('Phone', 'Phone is required')
  .trim()
  .refine((v) => isPhoneNumber(normalisePhone(v)), 'Phone must be digits (spaces, dashes and a leading + allowed)');

export const role = z.enum(ROLES, { error: `Role must be one of: ${ROLES.join(', ')}` });

export const id = (label: string) =>
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- chained so the text rule of ./text runs first; z.uuid() would be a fresh schema without it
  lineText(label, `${label} is required`).uuid(`${label} is not a valid id`);

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? null : v), schema.nullish());

export const optionalText = (label: string, max = 200) =>
  optional(lineText(label).trim().max(max, `${label} must be at most ${max} characters`));

export const optionalLongText = (label: string, max = 2000) =>
  optional(linesText(label).trim().max(max, `${label} must be at most ${max} characters`));

export const isoDate = (label: string) =>
  lineText(label, `${label} is required`)
    .refine((v) => isValidDate(v), `${label} must be a date as YYYY-MM-DD`);

export const timeOfDay = (label: string) =>
  lineText(label, `${label} is required`).regex(/^([01]\d|2[0-3]):[0-5]\d$/, `${label} must be a time as HH:MM (24-hour)`);

/**
 * Phone numbers are cleaned (spaces, dashes, +91 / leading 0 removed). Only what cannot be a phone
 * number at all is refused; an unusual Indian mobile is a warning from the service instead.
 */
export const phoneNumber = (label: string) => optional(requiredPhoneNumber(label));

/** The same, where a number is required (an emergency contact's). */
export const requiredPhoneNumber = (label: string) =>
  lineText(label, `${label} is required`)
    .transform(normalisePhone)
    .refine((v) => v.length > 0, `${label} is required`)
    .refine((v) => v.length === 0 || isPhoneNumber(v), `${label} must be a phone number (digits only)`);

export const abhaNumber = optional(
  lineText('ABHA number')
    .refine((v) => /^\d{2}-?\d{4}-?\d{4}-?\d{4}$/.test(v.trim()), 'ABHA number must be 14 digits, like 91-1234-5678-9012')
    .transform((v) => v.replace(/\D/g, '')),
);

export const abhaAddress = optional(
  lineText('ABHA address')
    .trim()
    .refine(
      (v) => /^[A-Za-z_][A-Za-z0-9._]{2,}[A-Za-z0-9_]@(abdm|sbx)$/.test(v),
      'ABHA address must look like name@abdm: at least 4 characters before @, not starting with a digit or dot, not ending with a dot',
    ),
);

export const pincode = optional(lineText('Pincode').trim().regex(/^[1-9]\d{5}$/, 'Pincode must be 6 digits'));

// eslint-disable-next-line @typescript-eslint/no-deprecated -- chained so the text rule of ./text runs first; z.email() would be a fresh schema without it
export const email = optional(lineText('Email').trim().email('Email is not a valid address'));

export const paise = (label: string) =>
  z.number({ error: `${label} is required` }).int(`${label} must be whole paise`).min(0, `${label} cannot be negative`);
