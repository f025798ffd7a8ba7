
/* Product names as the Jan Aushadhi list writes them, read into generic name, form, strength and route. */

export interface ParsedProduct {
  genericName: string;
  form: string;
  strength: string | null;
  route: string;
}

/** Dosage-form words, most specific first: [pattern, form, route]. */
const FORMS: [RegExp, string, string][] = [
  [/\b(eye|ophthalmic)\b.*\bointment\b|\bointment\b.*\b(eye|ophthalmic)\b/i, 'eye ointment', 'ophthalmic'],
  [/\b(eye|ophthalmic)\b.*\bgel\b/i, 'eye gel', 'ophthalmic'],
  [/\beye\b|\bophthalmic\b/i, 'eye drops', 'ophthalmic'],
  [/\bear\b|\botic\b/i, 'ear drops', 'otic'],
  [/\bnasal\b.*\bspray\b|\bspray\b.*\bnasal\b/i, 'nasal spray', 'nasal'],
  [/\bnasal\b/i, 'nasal drops', 'nasal'],
  [/\brotacaps?\b|\bpowder for inhalation\b|\binhalation powder\b|\bdry powder\b/i, 'rotacap', 'inhalation'],
  [/\brespules?\b|\bnebuli[sz]|\binhalation (solution|suspension)\b|\bfor inhalation\b/i, 'respules', 'inhalation'],
  [/\binhaler\b|\bmetered dose\b|\baerosol\b|\binhalation\b/i, 'inhaler', 'inhalation'],
  [/\bvaginal\b.*\b(tablets?|pessar(y|ies))\b|\bpessar(y|ies)\b/i, 'vaginal tablet', 'vaginal'],
  [/\bvaginal\b.*\bcapsules?\b/i, 'vaginal capsule', 'vaginal'],
  [/\bvaginal\b/i, 'vaginal gel', 'vaginal'],
  [/\bsuppositor(y|ies)\b/i, 'suppository', 'rectal'],
  [/\benema\b|\brectal\b/i, 'enema', 'rectal'],
  [/\bsublingual\b/i, 'sublingual tablet', 'sublingual'],
  [/\binfusion\b/i, 'infusion', 'IV'],
  [/\binjections?\b|\bfor injection\b|\bpre-?filled (syringe|pen)\b|\bcartridge\b|\bvials?\b|\bampoules?\b|\bvaccine\b/i, 'injection', 'IV'],
  [/\bmouth ?wash\b/i, 'mouthwash', 'topical'],
  [/\bgargle\b/i, 'gargle', 'topical'],
  [/\b(mouth|gum) paint\b/i, 'mouth paint', 'topical'],
  [/\b(oral|mouth ulcer|dental) (gel|paste)\b/i, 'oral gel', 'topical'],
  [/\btooth ?paste\b/i, 'toothpaste', 'topical'],
  [/\bdusting powder\b/i, 'dusting powder', 'topical'],
  [/\bshampoo\b/i, 'shampoo', 'topical'],
  [/\bsoap\b/i, 'soap', 'topical'],
  [/\bcream\b/i, 'cream', 'topical'],
  [/\bointment\b/i, 'ointment', 'topical'],
  [/\blotion\b/i, 'lotion', 'topical'],
  [/\b(liniment|balm)\b/i, 'liniment', 'topical'],
  [/\bgel\b/i, 'gel', 'topical'],
  [/\b(topical|scalp|external) (solution|spray)\b|\bspray\b/i, 'spray', 'topical'],
  [/\bdry syrup\b|\bfor oral suspension\b|\bpowder for (oral )?suspension\b/i, 'dry syrup', 'oral'],
  [/\bsyrup\b/i, 'syrup', 'oral'],
  [/\bsuspension\b/i, 'suspension', 'oral'],
  [/\bemulsion\b/i, 'emulsion', 'oral'],
  [/\b(oral )?(solution|liquid)\b|\belixir\b|\blinctus\b/i, 'oral solution', 'oral'],
  [/\bdrops?\b/i, 'drops', 'oral'],
  [/\bstrips?\b/i, 'oral strip', 'oral'],
  [/\bsachets?\b/i, 'sachet', 'oral'],
  [/\bgranules\b/i, 'granules', 'oral'],
  [/\bcapsules?\b|\bcaps\b|\bsoft ?gel(atin)?s?\b/i, 'capsule', 'oral'],
  [/\btablets?\b|\btabs?\b/i, 'tablet', 'oral'],
  [/\bpowder\b/i, 'powder', 'oral'],
];

/** Where the name ends: the first dosage-form noun. */
const FORM_NOUN =
  /\b(mouth ?(paint|wash|ulcer)|gum paint|dusting powder|tooth ?paste|oral (gel|paste)|inhalation|strips?|tablets?|tabs?|capsules?|caps|soft ?gel(atin)?s?|injections?|infusion|syrup|dry syrup|suspension|emulsion|solution|liquid|elixir|linctus|drops?|sachets?|granules|powder|cream|ointment|gel|lotion|liniment|balm|shampoo|soap|spray|mouth ?wash|gargle|paint|paste|rotacaps?|respules?|inhaler|aerosol|suppositor(y|ies)|pessar(y|ies)|enema|for injection|for oral|for inhalation|eye|ear|nasal|ophthalmic|otic|vaginal|rectal|sublingual|topical)\b/i;

const RELEASE = [
  [/\b(sustained|prolonged|extended|controlled|modified)[- ]release\b|\b(SR|ER|XR|CR|MR|PR)\b/i, 'SR'],
  [/\bgastro[- ]resistant\b|\benteric[- ]coated\b|\bdelayed[- ]release\b|\b(EC|DR)\b/i, 'EC'],
  [/\bdispersible\b|\b(DT)\b/i, 'DT'],
  [/\borally disintegrating\b|\bmouth dissolving\b|\b(MD|ODT)\b/i, 'MD'],
  [/\bchewable\b/i, 'chewable'],
  [/\beffervescent\b/i, 'effervescent'],
] as const;

/** Descriptive words that are not part of the generic name. */
const NOISE =
  /\b(sustained|prolonged|extended|controlled|modified|delayed|immediate)[- ]rel(e)?ase\b|\bdisintegrating\b|\bgastro[- ]resistant\b|\benteric[- ]coated\b|\bfilm[- ]coated\b|\bdispersible\b|\borally disintegrating\b|\bmouth dissolving\b|\bchewable\b|\beffervescent\b|\buncoated\b|\bcoated\b|\b(I\.?P\.?|B\.?P\.?|U\.?S\.?P\.?|N\.?F\.?)(?![A-Za-z])|\bw\/[wv]\b|\bv\/v\b|\bper\b|\beach\b|\bcontains?\b|\bsugar[- ]free\b|\b(SR|ER|XR|CR|MR|PR|EC|DR|DT|MD|ODT)\b/gi;

const UNITS: Record<string, string> = { au: 'AU', mg: 'mg', mcg: 'mcg', 'µg': 'mcg', g: 'g', gm: 'g', gms: 'g', kg: 'kg', iu: 'IU', 'i.u.': 'IU', unit: 'units', units: 'units', '%': '%', ml: 'ml', million: 'million', billion: 'billion', lakh: 'lakh', lac: 'lakh' };
const QUANTITY =
  /(\d+(?:\.\d+)?(?:\s*-\s*\d+(?:\.\d+)?)?)\s*(%|(?:mg|mcg|µg|gms?|g|kg|i\.u\.|iu|au|units?|ml|million|billion|lakh|lac)(?![A-Za-z]))(?:\s*(?:w\/w|w\/v|v\/v))?(?:\s*(?:\/|per)\s*(\d+(?:\.\d+)?)?\s*(ml|g|gm|dose|puff|actuation|spray|drop)s?(?![A-Za-z]))?/gi;

/** "50/2.5 mg" -> "50 mg/2.5 mg", so each amount gets its unit. */
const SHARED_UNIT = /(\d+(?:\.\d+)?(?:\s*\/\s*\d+(?:\.\d+)?)+)\s*(mg|mcg|g|gm|iu)(?![A-Za-z])/gi;

function quantities(text: string): { strengths: string[]; rest: string } {
  const strengths: string[] = [];
  const expanded = text.replace(SHARED_UNIT, (_m, nums: string, unit: string) =>
    nums
      .split('/')
      .map((n) => `${n.trim()} ${unit}`)
      .join('/'),
  );
  const rest = expanded.replace(QUANTITY, (_m, n: string, unit: string, perN: string | undefined, perUnit: string | undefined) => {
    const u = UNITS[unit.toLowerCase()] ?? unit.toLowerCase();
    const amount = n.replace(/\s+/g, '');
    let s = u === '%' ? `${amount}%` : `${amount} ${u}`;
    if (perUnit) s += `/${perN ? `${perN} ` : ''}${UNITS[perUnit.toLowerCase()] ?? perUnit.toLowerCase()}`;
    strengths.push(s);
    return ' ';
  });
  return { strengths, rest };
}

/**
 * A simple reading of a Jan Aushadhi product name, e.g. "Amoxycillin and Potassium Clavulanate Tablets
 * IP 500 mg/125 mg" -> generic "Amoxycillin + Potassium Clavulanate", form "tablet", strength
 * "500 mg + 125 mg", route "oral". What it cannot tell defaults to tablet, by mouth.
 */
export function parseProductName(text: string): ParsedProduct {
  const clean = text.replace(/\s+/g, ' ').trim();
  // Bracketed notes with numbers ("(100mg per ml)", "( MPFF Diosmin 450mg ... )") or packing words are not the name.
  const noteParen = /\(([^()]*)\)/g;
  const outside = clean.replace(noteParen, (m: string, inner: string) => (/\d|sugar|flavou?r|free|pack|mono|equivalent|eq\.|rel(e)?ase|coated|resistant/i.test(inner) ? ' ' : m));
  let form = 'tablet';
  let route = 'oral';
  for (const [pattern, f, r] of FORMS) {
    if (pattern.test(clean)) {
      form = f;
      route = r;
      break;
    }
  }
  if (form === 'tablet' || form === 'capsule') {
    for (const [pattern, kind] of RELEASE) {
      if (!pattern.test(clean)) continue;
      if (kind === 'SR') form = `SR ${form}`;
      else if (form === 'tablet') form = `${kind} tablet`;
      break;
    }
  }
  if (form === 'injection') {
    if (/\binsulin\b|\b\w*parin\b|\bsubcutaneous\b|\bteriparatide\b|\bpen\b/i.test(clean)) route = 'SC';
    else if (/\bintramuscular\b|\bi\.m\.|\bIM\b|\bvaccine\b|\btoxoid\b|\bdepot\b/.test(clean)) route = 'IM';
  }

  let { strengths } = quantities(outside);
  if (strengths.length === 0) strengths = quantities(clean).strengths;
  // "Syrup per 5ml" after the name: the amounts are per 5 ml.
  const perVolume = /\bper\s*(\d+(?:\.\d+)?)?\s*ml\b(?![^()]*\))/i.exec(outside.replace(QUANTITY, ' '));
  if (perVolume && strengths.length > 0 && !strengths.some((s) => s.includes('/'))) {
    const last = strengths.length - 1;
    strengths[last] = `${strengths[last] ?? ''}/${perVolume[1] ? `${perVolume[1]} ` : ''}ml`;
  }

  const cut = FORM_NOUN.exec(outside);
  const head = cut && cut.index > 0 ? outside.slice(0, cut.index) : outside;
  const name = tidyName(quantities(head).rest) || tidyName(quantities(outside.replace(new RegExp(FORM_NOUN.source, 'gi'), ' ')).rest) || clean;
  return { genericName: name, form, strength: strengths.length > 0 ? strengths.slice(0, 6).join(' + ') : null, route };
}

/** Drops brackets left without their partner by cutting the name short. */
function balanceParens(text: string): string {
  const chars = Array.from(text);
  const open: number[] = [];
  chars.forEach((c, i) => {
    if (c === '(') open.push(i);
    else if (c === ')') {
      if (open.length > 0) open.pop();
      else chars[i] = ' ';
    }
  });
  for (const i of open) chars[i] = ' ';
  return chars.join('');
}

function tidyName(text: string): string {
  const parts = balanceParens(text.replace(NOISE, ' '))
    .replace(/\b(oral|for)\s*$/i, ' ')
    .replace(/\(\s*\)/g, ' ')
    .split(/\s*(?:,|\+|&|\band\b|\bwith\b)\s*/i)
    .map((p) => p.replace(/[\s,.;:/-]+$/g, '').replace(/^[\s,.;:/-]+/g, '').replace(/\s+/g, ' ').trim())
    .filter((p) => /[A-Za-z]{2}/.test(p));
  return parts.join(' + ');
}
