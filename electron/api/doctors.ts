import { z } from 'zod';
import { VISIT_MODES } from '../../db/schema';
import { addLeave, getDoctor, listDoctors, removeLeave, upsertDoctor } from '../services/doctors';
import { method } from './contract';
import { id, isoDate, optionalText, paise, requiredText, timeOfDay } from './fields';
import { lineText } from './text';

const sitting = z.object({
  weekday: z.number({ error: 'Day is required' }).int().min(0, 'Day must be 0 (Sunday) to 6 (Saturday)').max(6, 'Day must be 0 (Sunday) to 6 (Saturday)'),
  start: timeOfDay('Start'),
  end: timeOfDay('End'),
  slotMinutes: z.number({ error: 'Slot length is required' }).int().min(5, 'Slots are at least 5 minutes').max(240, 'Slots are at most 4 hours'),
  maxPerSlot: z.number({ error: 'Bookings per slot is required' }).int().min(1, 'At least 1 booking per slot').max(50, 'At most 50 bookings per slot'),
  mode: z.enum(VISIT_MODES, { error: 'Mode must be in-person or video' }).default('in-person'),
});

export const doctorMethods = {
  'doctors.upsert': method({
    input: z.object({
      userId: id('Doctor'),
      specialization: requiredText('Specialization', 100),
      qualifications: lineText('Qualifications').trim().max(200, 'Qualifications must be at most 200 characters').optional(),
      registrationCouncil: requiredText('Registration council', 100),
      registrationNumber: lineText('Registration number', 'Registration number is required')
        .trim()
        .min(1, 'Registration number is required')
        .max(30, 'Registration number must be at most 30 characters')
        .regex(/^[A-Za-z0-9/.-]+$/, 'Registration number may use letters, digits, / . - only'),
      registrationDate: isoDate('Registration date').nullish(),
      qualificationDetails: z
        .array(
          z.object({
            degree: requiredText('Degree', 60),
            college: requiredText('College', 150),
            university: requiredText('University', 150),
            year: z.number({ error: 'Year must be a number' }).int().min(1940, 'Year is too early').max(2100, 'Year is too late'),
          }),
        )
        .max(10)
        .optional(),
      hprId: z.preprocess((v) => (v === '' ? null : v), lineText('HPR ID').regex(/^\d{14}$/, 'HPR ID must be 14 digits').nullish()),
      hprAddress: z.preprocess((v) => (v === '' ? null : v), lineText('HPR address').regex(/^[a-z0-9._]{3,}@hpr\.abdm$/i, 'HPR address must look like name@hpr.abdm').nullish()),
      consultationFeePaise: paise('Consultation fee'),
      followUpFeePaise: paise('Follow-up fee'),
      followUpWindowDays: z.number({ error: 'Free follow-up window is required' }).int().min(0).max(365, 'At most 365 days'),
      languages: z.array(requiredText('Language', 40)).max(20).optional(),
      schedule: z.array(sitting).max(50),
    }),
    access: 'doctors.manage',
    mutates: true,
    run: (ctx, input) => upsertDoctor(ctx, input),
  }),
  'doctors.list': method({
    input: z.object({}).optional(),
    access: 'doctors.read',
    mutates: false,
    run: (ctx) => listDoctors(ctx),
  }),
  'doctors.get': method({
    input: z.object({ doctorId: id('Doctor') }),
    access: 'doctors.read',
    mutates: false,
    run: (ctx, input) => getDoctor(ctx, input.doctorId),
  }),
  'doctors.addLeave': method({
    input: z.object({ doctorId: id('Doctor'), fromDate: isoDate('First day'), toDate: isoDate('Last day'), reason: optionalText('Reason') }),
    access: 'doctors.manage',
    mutates: true,
    run: (ctx, input) => addLeave(ctx, input),
  }),
  'doctors.removeLeave': method({
    input: z.object({ leaveId: id('Leave') }),
    access: 'doctors.manage',
    mutates: true,
    run: (ctx, input) => removeLeave(ctx, input.leaveId),
  }),
};
