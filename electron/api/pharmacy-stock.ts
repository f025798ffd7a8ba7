import { z } from 'zod';
import { stockItems } from '../services/pharmacy/items';
import { method } from './contract';
import { id } from './fields';
import { lineText } from './text';

/* Reads the Stock screen needs beyond pharmacy.ts: the list of items with their stock (docs/PHARMACY.md). */

export const pharmacyStockMethods = {
  /** Items held (a batch or settings) with units on hand, reorder level and barcode; by name, barcode or batch number. */
  'pharmacy.items': method({
    input: z.object({
      query: lineText('Search text').trim().max(100, 'Search text must be at most 100 characters').default(''),
      drugIds: z.array(id('Drug')).max(200, 'At most 200 drugs').optional(),
      limit: z.number().int().min(1).max(500).default(200),
    }),
    access: 'pharmacy.read',
    mutates: false,
    run: (ctx, input) => stockItems(ctx, input),
  }),
};
