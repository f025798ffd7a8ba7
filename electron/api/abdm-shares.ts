import { z } from 'zod';
import { PRIORITIES } from '../../db/schema';
import { checkInShare, linkShare, listShares, shareCandidates } from '../services/abdm-shares';
import { method } from './contract';
import { id, isoDate } from './fields';

/** Reception's "Scanned profiles" (ABDM Scan & Share, docs/ABDM.md). */
export const abdmShareMethods = {
  'abdmShares.list': method({
    input: z.object({ since: isoDate('Since').optional() }).default({}),
    access: 'patients.write',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => listShares(ctx, input),
  }),
  'abdmShares.candidates': method({
    input: z.object({ shareId: id('Shared profile') }),
    access: 'patients.write',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => shareCandidates(ctx, input),
  }),
  'abdmShares.link': method({
    input: z.object({ shareId: id('Shared profile'), patientId: id('Patient') }),
    access: 'patients.write',
    mutates: true,
    run: (ctx, input) => linkShare(ctx, input),
  }),
  'abdmShares.checkIn': method({
    input: z.object({
      shareId: id('Shared profile'),
      patientId: id('Patient'),
      doctorId: id('Doctor').optional(),
      priority: z.enum(PRIORITIES, { error: 'Priority must be regular, urgent or emergency' }).optional(),
    }),
    access: 'appointments.manage',
    mutates: true,
    run: (ctx, input) => checkInShare(ctx, input),
  }),
};
