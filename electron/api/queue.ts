import { z } from 'zod';
import { PRIORITIES, QUEUE_STATUSES } from '../../db/schema';
import { callNext } from '../services/consultations';
import { checkIn, listQueue, setFollowUp, setQueueStatus } from '../services/queue';
import { method } from './contract';
import { id, isoDate } from './fields';

export const queueMethods = {
  'queue.checkIn': method({
    input: z.object({
      patientId: id('Patient'),
      doctorId: id('Doctor').optional(),
      appointmentId: id('Appointment').optional(),
      priority: z.enum(PRIORITIES, { error: 'Priority must be regular, urgent or emergency' }).optional(),
    }),
    access: 'appointments.manage',
    mutates: true,
    run: (ctx, input) => checkIn(ctx, input),
  }),
  'queue.list': method({
    input: z.object({ date: isoDate('Date').optional(), doctorId: id('Doctor').optional() }).default({}),
    access: 'queue.read',
    mutates: false,
    run: (ctx, input) => listQueue(ctx, input),
  }),
  /** The logged-in doctor's own queue for today. */
  'queue.mine': method({
    input: z.object({}).optional(),
    access: 'consultations.write',
    mutates: false,
    run: (ctx) => listQueue(ctx, { doctorId: ctx.session.userId }),
  }),
  'queue.callNext': method({
    input: z.object({}).optional(),
    access: 'consultations.write',
    mutates: true,
    run: (ctx) => callNext(ctx),
  }),
  'queue.setStatus': method({
    input: z.object({ visitId: id('Queue entry'), status: z.enum(QUEUE_STATUSES, { error: 'Status must be waiting, with-doctor, done or left' }) }),
    access: 'queue.manage',
    mutates: true,
    run: (ctx, input) => setQueueStatus(ctx, input),
  }),
  'queue.setFollowUp': method({
    input: z.object({ visitId: id('Visit'), followUpDate: isoDate('Follow-up date').nullable() }),
    access: 'queue.manage',
    mutates: true,
    run: (ctx, input) => setFollowUp(ctx, input),
  }),
};
