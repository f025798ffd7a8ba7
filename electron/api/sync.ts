import { z } from 'zod';
import { configureSync, knownDevices, outbox, revokeDevice, startEnrolment, syncStatus } from '../services/sync-admin';
import { isInitialized } from '../services/setup';
import { setAsideText } from '../services/set-aside';
import { ApiFailure, method } from './contract';
import { id } from './fields';
import { lineText } from './text';

const serverUrl = lineText('Server address', 'Server address is required')
  .trim()
  .regex(/^https?:\/\/[^\s/]+(:\d+)?\/?$/, 'Server address must look like https://sync.example.in or http://192.168.1.10:5299');
const code = lineText('Enrolment code', 'Enrolment code is required').trim().min(6, 'The enrolment code has 8 characters').max(32);

export const syncMethods = {
  'sync.status': method({
    input: z.object({}).optional(),
    access: 'session',
    mutates: false,
    run: (ctx) => syncStatus(ctx),
  }),
  'sync.configure': method({
    input: z.object({ serverUrl: serverUrl.optional(), enabled: z.boolean().optional() }),
    access: 'settings.manage',
    mutates: true,
    run: (ctx, input) => configureSync(ctx, input),
  }),
  'sync.enrol': method({
    input: z.object({ serverUrl, code }),
    access: 'settings.manage',
    mutates: true,
    run: (ctx, input) => startEnrolment(ctx, input),
  }),
  /** First run on a new workstation: join an existing clinic instead of setting up a new one. */
  'setup.join': method({
    input: z.object({ serverUrl, code }),
    access: 'public',
    mutates: true,
    run: (ctx, input) => {
      if (isInitialized(ctx)) throw new ApiFailure('conflict', 'This workstation is already set up.');
      return startEnrolment(ctx, input);
    },
  }),
  'sync.now': method({
    input: z.object({}).optional(),
    access: 'session',
    mutates: false,
    run: (ctx) => {
      ctx.sync.trigger();
      return syncStatus(ctx);
    },
  }),
  'sync.outbox': method({
    input: z.object({ kind: z.enum(['pending', 'rejected', 'flagged']).default('pending'), limit: z.number().int().min(1).max(500).default(100) }).default({ kind: 'pending', limit: 100 }),
    access: 'settings.manage',
    mutates: false,
    run: (ctx, input) => outbox(ctx, input.kind, input.limit),
  }),
  /** The text of a record this desk set aside after losing a race (clinical: audited). */
  'sync.setAsideText': method({
    input: z.object({ id: id('Set-aside record') }),
    access: 'clinical.read',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => setAsideText(ctx, input.id),
  }),
  /** The clinic's enrolled workstations (the server's list; the last known one offline). */
  'sync.devices': method({
    input: z.object({}).optional(),
    access: 'settings.manage',
    mutates: false,
    run: (ctx) => knownDevices(ctx),
  }),
  /** Removes a lost workstation from the clinic: the server refuses it from then on. */
  'sync.revokeDevice': method({
    input: z.object({ deviceId: id('Workstation'), reason: lineText('Reason', 'Reason is required').trim().min(1, 'Reason is required').max(200, 'Reason is at most 200 characters') }),
    access: 'settings.manage',
    mutates: true,
    run: (ctx, input) => revokeDevice(ctx, input),
  }),
};
