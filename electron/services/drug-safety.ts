import type { Allergy } from '../../db/schema';

/** What the doctor must see and acknowledge before an item stays on the prescription. */
export interface SafetyWarning {
  /** Stable code the acknowledgement refers to, e.g. "allergy:penicillin", "duplicate:paracetamol". */
  code: string;
  message: string;
}

export interface CheckedDrug {
  genericName: string;
  classes: string[];
}

const SYNONYMS: Record<string, string> = {
  sulfa: 'sulfonamide',
  sulpha: 'sulfonamide',
  sulphonamide: 'sulfonamide',
  nsaids: 'nsaid',
  'non-steroidal anti-inflammatory': 'nsaid',
  painkiller: 'nsaid',
  penicillins: 'penicillin',
  cephalosporins: 'cephalosporin',
  macrolides: 'macrolide',
  quinolone: 'fluoroquinolone',
  quinolones: 'fluoroquinolone',
  opiate: 'opioid',
  opioids: 'opioid',
};

function normalise(term: string): string {
  // "Sulfa drugs", "penicillin group", "NSAID allergy" name the same things as "sulfa", "penicillin", "NSAID".
  const t = term
    .trim()
    .toLowerCase()
    .replace(/\b(drugs?|medicines?|medications?|group|family|class|allergy|antibiotics?)\b/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return SYNONYMS[t] ?? SYNONYMS[t.replace(/s$/, '')] ?? t.replace(/s$/, '');
}

/** The parts of a generic name: "Amoxicillin + Clavulanic Acid" -> amoxicillin, clavulanic acid. */
function ingredients(generic: string): string[] {
  return generic
    .toLowerCase()
    .split(/\s*(?:\+|,|\band\b|\/)\s*/)
    .map((s) => s.replace(/\b(tablets?|capsules?|syrup|ip|bp|usp|\d+(\.\d+)?\s*(mg|mcg|g|ml|%))\b/g, '').trim())
    .filter((s) => s.length > 0);
}

/**
 * Checks an allergy against a drug at two levels: the substance itself (penicillin allergy vs
 * penicillin) and its class (penicillin allergy vs amoxicillin, a penicillin).
 */
export function allergyWarnings(drug: CheckedDrug, allergies: Allergy[]): SafetyWarning[] {
  const parts = ingredients(drug.genericName);
  const classes = drug.classes.map((c) => c.toLowerCase());
  const out: SafetyWarning[] = [];
  for (const a of allergies) {
    const substance = normalise(a.substance);
    if (!substance) continue;
    const direct = parts.some((p) => p === substance || p.startsWith(substance) || substance.startsWith(p));
    const cls = classes.find((c) => c === substance || c.startsWith(substance) || substance.startsWith(c));
    if (!direct && !cls) continue;
    const why = direct ? `${drug.genericName} contains ${a.substance}` : `${drug.genericName} is a ${cls} (same class as ${a.substance})`;
    out.push({
      code: `allergy:${substance}`,
      message: `Allergy (${a.severity}): the patient is allergic to ${a.substance}; ${why}.`,
    });
  }
  return out;
}

/** The same ingredient twice: on this prescription, or still being taken from an earlier one. */
export function duplicateWarnings(
  drug: CheckedDrug,
  others: { genericName: string }[],
  active: { genericName: string; until: string }[],
): SafetyWarning[] {
  const parts = new Set(ingredients(drug.genericName));
  const overlaps = (g: string) => ingredients(g).find((p) => parts.has(p));
  const out: SafetyWarning[] = [];
  for (const o of others) {
    const p = overlaps(o.genericName);
    if (p) out.push({ code: `duplicate:${p}`, message: `${p} is already on this prescription (${o.genericName}).` });
  }
  for (const a of active) {
    const p = overlaps(a.genericName);
    if (p) out.push({ code: `active:${p}`, message: `The patient is still taking ${a.genericName} (prescribed until ${a.until}).` });
  }
  return out;
}
