import { z } from 'zod';
import { salesOf, visitForDispense, waitingToday } from '../services/pharmacy/desk';
import { h1RegisterPdf } from '../services/pharmacy/h1-pdf';
import { method } from './contract';
import { id, isoDate } from './fields';

/* What the Pharmacy screen reads beside the dispensing methods: the day's queue, a visit's choices, sales, the H1 print. */

export const pharmacyDeskMethods = {
  /** Today's visits whose prescription still has something to give, newest first. */
  'pharmacy.waiting': method({
    input: z.object({}),
    access: 'pharmacy.dispense',
    mutates: false,
    auditReads: true,
    run: (ctx) => waitingToday(ctx),
  }),
  /** The patient (address for H1), the doctor, and per item the drugs that may be given with their batches in stock. */
  'pharmacy.visit': method({
    input: z.object({ visitId: id('Visit') }),
    access: 'pharmacy.dispense',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => visitForDispense(ctx, input.visitId),
  }),
  /** Dispenses with their lines and what came back: a visit's, or one day's (today when neither is given). */
  'pharmacy.sales': method({
    input: z.object({ visitId: id('Visit').optional(), on: isoDate('Date').optional() }),
    access: 'pharmacy.dispense',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => salesOf(ctx, input),
  }),
  /** The Schedule H1 register of a date range as a PDF (a job; the bytes come with jobs.document). Audited. */
  'pharmacy.h1RegisterPdf': method({
    input: z.object({ from: isoDate('From'), to: isoDate('To') }).refine((v) => v.from <= v.to, { error: 'From must not be after To', path: ['to'] }),
    access: 'pharmacy.read',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => h1RegisterPdf(ctx, input.from, input.to),
  }),
};
