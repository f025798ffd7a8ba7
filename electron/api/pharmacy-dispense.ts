import { z } from 'zod';
import { belowReorder, dispense, dispenseBillLines, h1Between, nearExpiry, negativeStock, prescriptionToDispense, saleReturn } from '../services/pharmacy';
import { method } from './contract';
import { id, isoDate, requiredText } from './fields';
import { units } from './pharmacy';

/* Dispensing, returns from patients, the pharmacist's lists and the H1 register (docs/PHARMACY.md). */

export const pharmacyDispenseMethods = {
  /** A visit's prescription: each item, what was given, what is open, and the FEFO batches proposed. */
  'pharmacy.prescription': method({
    input: z.object({ visitId: id('Visit') }),
    access: 'pharmacy.dispense',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => prescriptionToDispense(ctx, input.visitId),
  }),
  /** Against a visit's prescription, or over the counter (no visit: scheduled drugs refused). */
  'pharmacy.dispense': method({
    input: z.object({
      visitId: id('Visit').optional(),
      patientId: id('Patient').optional(),
      lines: z
        .array(
          z.object({
            itemIndex: z.number().int().min(0).max(99).optional(),
            drugId: id('Drug'),
            quantity: units('Quantity'),
            batchId: id('Batch').optional(),
          }),
        )
        .min(1, 'Add at least one medicine')
        .max(50, 'At most 50 medicines'),
    }),
    access: 'pharmacy.dispense',
    mutates: true,
    run: (ctx, input) => dispense(ctx, input),
  }),
  'pharmacy.saleReturn': method({
    input: z.object({ dispenseLineId: id('Dispensed medicine'), quantity: units('Quantity'), reason: requiredText('Reason', 200) }),
    access: 'pharmacy.dispense',
    mutates: true,
    run: (ctx, input) => saleReturn(ctx, input),
  }),
  /** The bill lines of a dispense, for the billing counter (MRP, GST rate and HSN per line). */
  'pharmacy.billLines': method({
    input: z.object({ dispenseId: id('Dispense') }),
    access: 'pharmacy.dispense',
    mutates: false,
    run: (ctx, input) => dispenseBillLines(ctx, input.dispenseId),
  }),
  'pharmacy.nearExpiry': method({
    input: z.object({ days: z.union([z.literal(30), z.literal(60), z.literal(90)], { error: 'Days must be 30, 60 or 90' }) }),
    access: 'pharmacy.read',
    mutates: false,
    run: (ctx, input) => nearExpiry(ctx, input.days),
  }),
  'pharmacy.belowReorder': method({
    input: z.object({}),
    access: 'pharmacy.read',
    mutates: false,
    run: (ctx) => belowReorder(ctx),
  }),
  /** Batches below zero after offline desks dispensed the same units: to count and correct. */
  'pharmacy.negativeStock': method({
    input: z.object({}),
    access: 'pharmacy.read',
    mutates: false,
    run: (ctx) => negativeStock(ctx),
  }),
  'pharmacy.h1Register': method({
    input: z.object({ from: isoDate('From'), to: isoDate('To') }).refine((v) => v.from <= v.to, { error: 'From must not be after To', path: ['to'] }),
    access: 'pharmacy.read',
    mutates: false,
    auditReads: true,
    run: (ctx, input) => h1Between(ctx, input.from, input.to),
  }),
};
