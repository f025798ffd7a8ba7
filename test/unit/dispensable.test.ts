import { describe, expect, it } from 'vitest';
import { dispensableQuantity } from '../../shared/dispensable';

/* What the pharmacy hands over and the counter bills for a prescribed quantity: stock units, or nothing counted. */

describe('dispensableQuantity', () => {
  it('counts what is stocked one to a unit, whatever it is called', () => {
    expect(dispensableQuantity({ quantity: 10, quantityUnit: null })).toBe(10);
    expect(dispensableQuantity({ quantity: 2, quantityUnit: 'bottle of 100 ml' })).toBe(2);
    expect(dispensableQuantity({ quantity: 2, quantityUnit: 'pen of 300 IU' })).toBe(2);
    expect(dispensableQuantity({ quantity: 2, quantityUnit: 'tubes' })).toBe(2);
    expect(dispensableQuantity({ quantity: 15, quantityUnit: 'tablets' })).toBe(15);
  });

  it('leaves a total in a unit of measure to the pharmacist: 75 ml is not 75 bottles', () => {
    for (const unit of ['ml', 'ML', ' ml ', 'mg', 'g', 'IU', 'units', 'drops']) expect(dispensableQuantity({ quantity: 75, quantityUnit: unit }), unit).toBeNull();
    expect(dispensableQuantity({ quantity: null, quantityUnit: null })).toBeNull();
  });
});
