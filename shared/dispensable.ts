import type { PrescriptionItem } from './clinical';

/**
 * Units of measure, not of stock: a total of these ("75 ml" of a syrup whose bottle size the pad
 * does not know, "500 mg") says nothing about how many bottles or strips to hand over. Any other
 * unit counts things the pharmacy stocks one to a unit ("bottle of 100 ml", "pen of 300 IU",
 * "tablets", "tubes").
 */
const MEASURE = /^(?:ml|millilitres?|l|litres?|mg|g|gm|grams?|mcg|µg|iu|units?|drops?)\.?$/i;

/**
 * The stock units (tablets, capsules, bottles) a prescription item asks the pharmacy for, or null
 * when the pharmacist must judge: no quantity, or a quantity in a unit of measure. The pad stores a
 * syrup whose pack size it does not know as a total in ml ("75 ml"); stock is counted in bottles,
 * so 75 ml read as 75 would propose and let through 75 bottles. The billing counter's suggestion
 * counts packs by the same rule (billing/suggestions.ts).
 */
export function dispensableQuantity(item: Pick<PrescriptionItem, 'quantity' | 'quantityUnit'>): number | null {
  if (item.quantity === null) return null;
  const unit = item.quantityUnit?.trim();
  return unit && MEASURE.test(unit) ? null : item.quantity;
}
