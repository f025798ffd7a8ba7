import { z } from 'zod';
import { PRIORITIES } from '../../db/schema';
import { checkInShare, linkShare, listShares, shareCandidates } from '../services/abdm-shares';
import { counterPosters } from '../services/counter-posters';
import { method } from './contract';
import { id, isoDate } from './fields';
import { lineText } from './text';

/** Reception's "Scanned profiles" (ABDM Scan & Share, docs/ABDM.md). */
export const abdmShareMethods = {
  'scanshare.list': method({
    input: z.object({ since: isoDate('Since').optional() }).default({}),
    access: 'patients.write',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => listShares(ctx, input),
  }),
  'scanshare.candidates': method({
    input: z.object({ shareId: id('Shared profile') }),
    access: 'patients.write',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => shareCandidates(ctx, input),
  }),
  'scanshare.link': method({
    input: z.object({ shareId: id('Shared profile'), patientId: id('Patient') }),
    access: 'patients.write',
    mutates: true,
    run: (ctx, input) => linkShare(ctx, input),
  }),
  'scanshare.checkIn': method({
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
  /** Printable Scan & Share posters, one A4 page per counter, with the QR code the patients scan. */
  'scanshare.counterPosters': method({
    input: z.object({ counters: z.array(lineText('Counter').trim().min(1, 'Counter names cannot be empty').max(60, 'Counter names are at most 60 characters')).max(20, 'At most 20 counters').optional() }).default({}),
    access: 'facility.manage',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => counterPosters(ctx, input),
  }),
};
