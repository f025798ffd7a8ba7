import { z } from 'zod';
import { PRIORITIES } from '../../db/schema';
import {
  bookAppointment,
  cancelAppointment,
  computeSlots,
  listAppointments,
  markNoShows,
  needsRebook,
  rescheduleAppointment,
} from '../services/appointments';
import { method } from './contract';
import { id, isoDate, optionalText, requiredText, timeOfDay } from './fields';

const priority = z.enum(PRIORITIES, { error: 'Priority must be regular, urgent or emergency' });

export const appointmentMethods = {
  'appointments.slots': method({
    input: z.object({ doctorId: id('Doctor'), date: isoDate('Date') }),
    access: 'doctors.read',
    mutates: false,
    run: (ctx, input) => computeSlots(ctx, input.doctorId, input.date),
  }),
  'appointments.book': method({
    input: z.object({
      patientId: id('Patient'),
      doctorId: id('Doctor'),
      date: isoDate('Date'),
      start: timeOfDay('Slot'),
      priority: priority.default('regular'),
      reason: optionalText('Reason', 300),
    }),
    access: 'appointments.manage',
    mutates: true,
    run: (ctx, input) => bookAppointment(ctx, input),
  }),
  'appointments.reschedule': method({
    input: z.object({ appointmentId: id('Appointment'), date: isoDate('New date'), start: timeOfDay('New slot'), reason: optionalText('Reason', 300) }),
    access: 'appointments.manage',
    mutates: true,
    run: (ctx, input) => rescheduleAppointment(ctx, input),
  }),
  'appointments.cancel': method({
    input: z.object({ appointmentId: id('Appointment'), reason: requiredText('Reason for cancelling', 300) }),
    access: 'appointments.manage',
    mutates: true,
    run: (ctx, input) => cancelAppointment(ctx, input),
  }),
  'appointments.list': method({
    input: z.object({ date: isoDate('Date'), doctorId: id('Doctor').optional() }),
    access: 'queue.read',
    mutates: false,
    run: (ctx, input) => listAppointments(ctx, input),
  }),
  'appointments.markNoShows': method({
    input: z.object({ date: isoDate('Date') }),
    access: 'appointments.manage',
    mutates: true,
    run: (ctx, input) => markNoShows(ctx, input),
  }),
  /** Bookings that lost their slot to another workstation's offline booking. */
  'appointments.needsRebook': method({
    input: z.object({}).optional(),
    access: 'queue.read',
    mutates: false,
    run: (ctx) => needsRebook(ctx),
  }),
};
