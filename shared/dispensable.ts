import type { PrescriptionItem } from './clinical';

/**
 * Units that are whole stock units: one container of a liquid or unit dose ("bottle of 100 ml",
 * "pen of 300 IU", as shared/dispense.ts writes them), which the pharmacy stocks one to a unit, or
 * the form's own units spelt out ("tablets").
 */
const STOCK_UNIT = /^(?:(?:bottle|pen|vial|cartridge|penfill)s?\s+of\b|(?:tab|tablet|cap|capsule)s?\.?$)/i;

/**
 * The stock units (tablets, capsules, bottles) a prescription item asks the pharmacy for, or null
 * when the pharmacist must judge. The pad stores a syrup whose pack size it does not know as a
 * total in ml ("75 ml"); stock is counted in bottles, so 75 ml read as 75 would propose and let
 * through 75 bottles. Such an item is uncounted, like one with no quantity at all. Any other unit
 * the pharmacy cannot count in stock units (typed by hand through the API) is left to judgement
 * the same way. The billing counter makes the same distinction for ml (billing/suggestions.ts).
 */
export function dispensableQuantity(item: Pick<PrescriptionItem, 'quantity' | 'quantityUnit'>): number | null {
  if (item.quantity === null) return null;
  const unit = item.quantityUnit?.trim();
  if (!unit || STOCK_UNIT.test(unit)) return item.quantity;
  return null;
}
