import type Database from 'better-sqlite3';
import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { v5 as uuidv5 } from 'uuid';
import type { Db } from '../../db/open';
import { drugs, type DRUG_SCHEDULES } from '../../db/schema';
import type { NewRow, Row, RowPatch, Writer } from '../../db/write';
import { ApiFailure, type ServiceContext } from '../core/context';
import { importCsv } from './csv-import';
import type { JobControl } from './jobs';

export type DrugSchedule = (typeof DRUG_SCHEDULES)[number];
type DrugRow = Row<typeof drugs>;

/** Routes a drug can be given by ('other' only for imported devices and consumables). */
export const DRUG_ROUTES = ['oral', 'topical', 'inhalation', 'ophthalmic', 'otic', 'nasal', 'IM', 'IV', 'SC', 'vaginal', 'rectal', 'sublingual'] as const;

export interface DrugView {
  id: string;
  genericName: string;
  brandNames: string[];
  form: string;
  strength: string | null;
  route: string;
  defaults: { dose: string | null; frequency: string | null; durationDays: number | null };
  schedule: DrugSchedule | null;
  classes: string[];
  /** 'starter', 'janaushadhi' or 'clinic'. */
  source: string;
  mrpPaise: number | null;
  active: boolean;
}

export function toDrugView(r: DrugRow): DrugView {
  return {
    id: r.id,
    genericName: r.genericName,
    brandNames: r.brandNames,
    form: r.form,
    strength: r.strength,
    route: r.route,
    defaults: { dose: r.defaultDose, frequency: r.defaultFrequency, durationDays: r.defaultDurationDays },
    schedule: r.schedule,
    classes: r.classes,
    source: r.source,
    mrpPaise: r.mrpPaise,
    active: r.active,
  };
}

// ---------------------------------------------------------------------------------------------
// Search

/** Raw row as SQLite returns it (JSON columns as text). */
interface RawDrug {
  id: string;
  generic_name: string;
  brand_names: string;
  form: string;
  strength: string | null;
  route: string;
  default_dose: string | null;
  default_frequency: string | null;
  default_duration_days: number | null;
  schedule: DrugSchedule | null;
  classes: string;
  source: string;
  mrp_paise: number | null;
  active: number;
}

function rawToView(r: RawDrug): DrugView {
  return {
    id: r.id,
    genericName: r.generic_name,
    brandNames: JSON.parse(r.brand_names) as string[],
    form: r.form,
    strength: r.strength,
    route: r.route,
    defaults: { dose: r.default_dose, frequency: r.default_frequency, durationDays: r.default_duration_days },
    schedule: r.schedule,
    classes: JSON.parse(r.classes) as string[],
    source: r.source,
    mrpPaise: r.mrp_paise,
    active: r.active === 1,
  };
}

/**
 * Drugs as the doctor types: every word must be the start of a word of the generic or a brand name,
 * or of the form ("tab", "syr") or a number of the strength ("500"), in any order, and at least one
 * word must match a name. Exact generic (or brand) names come first, then the starter list and the
 * clinic's own drugs before imported ones, then shorter names.
 */
export function searchDrugs(sqlite: Database.Database, query: string, limit: number): DrugView[] {
  const words = query.toLowerCase().match(/[\p{L}]+|\d+(?:\.\d+)?/gu) ?? [];
  if (words.length === 0) return [];
  const unique = [...new Set(words)].slice(0, 8);
  const params: Record<string, string | number> = { limit };
  const conditions: string[] = [];
  unique.forEach((w, i) => {
    params[`n${i}`] = `"${w}"*`;
    params[`w${i}`] = w;
    conditions.push(
      `(m.rowid IN (SELECT rowid FROM drugs_fts WHERE drugs_fts MATCH @n${i})
        OR (' ' || lower(d.form)) LIKE '% ' || @w${i} || '%'
        OR (' ' || replace(replace(replace(lower(coalesce(d.strength, '')), '/', ' '), '+', ' '), '(', ' ')) LIKE '% ' || @w${i} || '%')`,
    );
  });
  params.any = unique.map((w) => `"${w}"*`).join(' OR ');
  params.exact = words.filter((w) => /^\p{L}/u.test(w)).join(' ');
  const rows = sqlite
    .prepare(
      `SELECT d.* FROM drugs d JOIN drugs_fts_map m ON m.drug_id = d.id
       WHERE d.deleted_at IS NULL AND d.active = 1
         AND m.rowid IN (SELECT rowid FROM drugs_fts WHERE drugs_fts MATCH @any)
         AND ${conditions.join(' AND ')}
       ORDER BY
         CASE WHEN lower(replace(d.generic_name, ' + ', ' ')) = @exact
                OR EXISTS (SELECT 1 FROM json_each(d.brand_names) b WHERE lower(b.value) = @exact) THEN 0 ELSE 1 END,
         CASE d.source WHEN 'janaushadhi' THEN 1 ELSE 0 END,
         length(d.generic_name), d.generic_name, d.form, CAST(d.strength AS REAL), d.strength, d.id
       LIMIT @limit`,
    )
    .all(params) as RawDrug[];
  return rows.map(rawToView);
}

export function getDrug(db: Db, id: string): DrugView {
  const row = db.select().from(drugs).where(and(eq(drugs.id, id), isNull(drugs.deletedAt))).get();
  if (!row) throw new ApiFailure('not_found', 'There is no such drug in the formulary.', undefined, { entityType: 'drugs', entityId: id });
  return toDrugView(row);
}

// ---------------------------------------------------------------------------------------------
// Clinic-added drugs

export interface ClinicDrugInput {
  id?: string | null | undefined;
  genericName: string;
  brandNames: string[];
  form: string;
  strength?: string | null | undefined;
  route: (typeof DRUG_ROUTES)[number];
  defaultDose?: string | null | undefined;
  defaultFrequency?: string | null | undefined;
  defaultDurationDays?: number | null | undefined;
  schedule?: DrugSchedule | null | undefined;
  classes: string[];
  mrpPaise?: number | null | undefined;
  hsnCode?: string | null | undefined;
  gstRateBp?: number | null | undefined;
  active: boolean;
}

/** Adds or edits one of the clinic's own drugs (source 'clinic'); starter and imported rows are not edited here. */
export function upsertClinicDrug(ctx: ServiceContext, input: ClinicDrugInput): DrugView {
  const values = {
    genericName: input.genericName,
    brandNames: input.brandNames,
    form: input.form,
    strength: input.strength ?? null,
    route: input.route,
    defaultDose: input.defaultDose ?? null,
    defaultFrequency: input.defaultFrequency ?? null,
    defaultDurationDays: input.defaultDurationDays ?? null,
    schedule: input.schedule ?? null,
    classes: input.classes,
    mrpPaise: input.mrpPaise ?? null,
    hsnCode: input.hsnCode ?? '3004',
    gstRateBp: input.gstRateBp ?? 500,
    active: input.active,
  };
  const same = ctx.db
    .select({ id: drugs.id })
    .from(drugs)
    .where(
      and(
        eq(drugs.source, 'clinic'),
        isNull(drugs.deletedAt),
        sql`lower(${drugs.genericName}) = lower(${values.genericName})`,
        sql`lower(${drugs.form}) = lower(${values.form})`,
        sql`lower(coalesce(${drugs.strength}, '')) = lower(${values.strength ?? ''})`,
        input.id ? ne(drugs.id, input.id) : undefined,
      ),
    )
    .get();
  if (same) {
    throw new ApiFailure('conflict', `The clinic list already has ${values.genericName} ${values.form} ${values.strength ?? ''}`.trim() + '.', {
      genericName: 'Already in the clinic list with this form and strength',
    }, { entityType: 'drugs', entityId: same.id });
  }
  if (!input.id) {
    const row = ctx.write.insert(drugs, { ...values, source: 'clinic', sourceCode: null });
    ctx.describe({ entityType: 'drugs', entityId: row.id });
    return toDrugView(row);
  }
  const existing = ctx.db.select().from(drugs).where(and(eq(drugs.id, input.id), isNull(drugs.deletedAt))).get();
  if (!existing) throw new ApiFailure('not_found', 'There is no such drug in the formulary.', { id: 'Unknown drug' }, { entityType: 'drugs', entityId: input.id });
  if (existing.source !== 'clinic') {
    throw new ApiFailure(
      'conflict',
      `${existing.genericName} comes from the ${existing.source === 'starter' ? 'starter list' : 'imported list'} and cannot be edited; add it as a clinic drug instead.`,
      { id: 'Only the clinic’s own drugs can be edited' },
      { entityType: 'drugs', entityId: existing.id },
    );
  }
  ctx.describe({ entityType: 'drugs', entityId: existing.id });
  return toDrugView(ctx.write.update(drugs, existing.id, values));
}

// ---------------------------------------------------------------------------------------------
// Jan Aushadhi (PMBJP) product list

/** Fixed namespace for ids of imported drugs: the same code gives the same id on every workstation. */
const DRUG_ID_NAMESPACE = uuidv5('https://clinic-workstation.local/formulary/drugs', uuidv5.URL);

/** The id of an imported drug, derived from its source and code (uuid v5). */
export function importedDrugId(source: string, code: string): string {
  return uuidv5(`${source}:${code}`, DRUG_ID_NAMESPACE);
}

/**
 * Rupees as written ("12.50", "7.5", "1,250.00") to integer paise, without floating point.
 * Blank or zero (the list's "price not published") is null; anything else that is not a price is 'invalid'.
 */
export function rupeesToPaise(text: string): number | null | 'invalid' {
  const t = text.trim().replace(/,/g, '');
  if (t === '') return null;
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) return 'invalid';
  const paise = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return paise === 0 ? null : paise;
}

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
    strengths[strengths.length - 1] += `/${perVolume[1] ? `${perVolume[1]} ` : ''}ml`;
  }

  const cut = FORM_NOUN.exec(outside);
  const head = cut && cut.index > 0 ? outside.slice(0, cut.index) : outside;
  const name = tidyName(quantities(head).rest) || tidyName(quantities(outside.replace(new RegExp(FORM_NOUN.source, 'gi'), ' ')).rest) || clean;
  return { genericName: name, form, strength: strengths.length > 0 ? strengths.slice(0, 6).join(' + ') : null, route };
}

/** Drops brackets left without their partner by cutting the name short. */
function balanceParens(text: string): string {
  const chars = [...text];
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

/** Pharmacological classes guessed from the name, for allergy checks. */
const CLASS_KEYWORDS: [RegExp, string[]][] = [
  [/cillin\b/, ['penicillin', 'beta-lactam']],
  [/\bcef|\bceph/, ['cephalosporin', 'beta-lactam']],
  [/penem\b/, ['carbapenem', 'beta-lactam']],
  [/clavulan|sulbactam|tazobactam/, ['beta-lactamase inhibitor']],
  [/\b(azithro|clarithro|erythro|roxithro)mycin\b/, ['macrolide']],
  [/floxacin\b/, ['fluoroquinolone']],
  [/cycline\b/, ['tetracycline']],
  [/sulfamethoxazole|sulphamethoxazole|co-?trimoxazole|sul(f|ph)adiazine|sulfasalazine|sulphasalazine|dapsone/, ['sulfonamide']],
  [/\b(metro|ti|or|secn)nidazole\b/, ['nitroimidazole']],
  [/\b(genta|ami|tobra|neo|strepto)mycin\b|\bamikacin\b|framycetin/, ['aminoglycoside']],
  [/\b(clinda|linco)mycin\b/, ['lincosamide']],
  [/linezolid/, ['oxazolidinone']],
  [/nitrofurantoin/, ['nitrofuran']],
  [/rifampicin|rifabutin|rifaximin/, ['rifamycin']],
  [/isoniazid|pyrazinamide|ethambutol|rifampicin|ethionamide|cycloserine/, ['antitubercular']],
  [/ibuprofen|diclofenac|aceclofenac|naproxen|ketorolac|mefenamic|piroxicam|indomethacin|etoricoxib|celecoxib|nimesulide|etodolac|flurbiprofen|ketoprofen|lornoxicam|meloxicam|aspirin|acetylsalicylic/, ['nsaid']],
  [/coxib\b/, ['cox-2 inhibitor']],
  [/aspirin|acetylsalicylic|salicylate|salicylic/, ['salicylate']],
  [/paracetamol|acetaminophen/, ['analgesic', 'antipyretic']],
  [/tramadol|tapentadol|codeine|morphine|pentazocine|buprenorphine|fentanyl|butorphanol/, ['opioid']],
  [/prazole\b/, ['proton pump inhibitor']],
  [/\b(famo|rani)tidine\b/, ['h2 blocker']],
  [/sartan\b/, ['arb']],
  [/pril\b/, ['ace inhibitor']],
  [/olol\b|carvedilol|labetalol/, ['beta blocker']],
  [/dipine\b/, ['calcium channel blocker']],
  [/\b(atorva|rosuva|simva|prava|pitava|fluva|lova)statin\b/, ['statin']],
  [/metformin/, ['biguanide']],
  [/glimepiride|gliclazide|glibenclamide|glipizide/, ['sulfonylurea']],
  [/gliptin\b/, ['dpp-4 inhibitor']],
  [/gliflozin\b/, ['sglt2 inhibitor']],
  [/glitazone\b/, ['thiazolidinedione']],
  [/\binsulin\b/, ['insulin']],
  [/conazole\b|clotrimazole|bifonazole/, ['azole antifungal']],
  [/terbinafine/, ['allylamine antifungal']],
  [/nystatin|amphotericin/, ['polyene antifungal']],
  [/clopidogrel|prasugrel|ticagrelor/, ['antiplatelet']],
  [/acenocoumarol|nicoumalone|warfarin|apixaban|rivaroxaban|dabigatran|heparin|enoxaparin|dalteparin|fondaparinux/, ['anticoagulant']],
  [/cetirizine|fexofenadine|loratadine|chlorpheniramine|pheniramine|hydroxyzine|promethazine|cyproheptadine|bilastine|olopatadine|ebastine|rupatadine|doxylamine|cinnarizine/, ['antihistamine']],
  [/montelukast/, ['leukotriene antagonist']],
  [/prednisolone|dexamethasone|betamethasone|hydrocortisone|budesonide|fluticasone|mometasone|clobetasol|beclomethasone|deflazacort|triamcinolone|halobetasol|fluocinolone|methylprednisolone/, ['corticosteroid']],
  [/azepam\b|alprazolam|clobazam|chlordiazepoxide|etizolam|midazolam/, ['benzodiazepine']],
  [/albendazole|mebendazole|ivermectin|praziquantel|pyrantel/, ['anthelmintic']],
  [/salbutamol|formoterol|salmeterol|terbutaline|indacaterol|vilanterol|olodaterol/, ['beta-2 agonist']],
  [/tiotropium|ipratropium|glycopyrronium|glycopyrrolate|dicyclomine|hyoscine/, ['antimuscarinic']],
  [/furosemide|frusemide|torsemide|bumetanide/, ['loop diuretic']],
  [/hydrochlorothiazide|chlorthalidone|indapamide|metolazone/, ['thiazide diuretic']],
  [/povidone|iodine/, ['iodine']],
  [/lignocaine|lidocaine|bupivacaine|prilocaine/, ['amide local anaesthetic']],
  [/benzocaine/, ['ester local anaesthetic']],
  [/amitriptyline|nortriptyline|clomipramine|imipramine|dothiepin|dosulepin|doxepin/, ['tricyclic antidepressant']],
  [/citalopram|sertraline|fluoxetine|paroxetine|fluvoxamine|vortioxetine/, ['ssri']],
  [/duloxetine|venlafaxine|desvenlafaxine/, ['snri']],
  [/phenytoin|valpro|levetiracetam|carbamazepine|oxcarbazepine|lamotrigine|topiramate|lacosamide|phenobarb|clobazam|brivaracetam|zonisamide/, ['antiepileptic']],
  [/pregabalin|gabapentin/, ['gabapentinoid']],
  [/olanzapine|risperidone|quetiapine|aripiprazole|haloperidol|amisulpride|clozapine|paliperidone|ziprasidone|chlorpromazine|trifluoperazine/, ['antipsychotic']],
  [/voglibose|acarbose|miglitol/, ['alpha-glucosidase inhibitor']],
  [/fenofibrate|gemfibrozil|saroglitazar/, ['fibrate']],
  [/zolpidem|zopiclone|eszopiclone/, ['hypnotic', 'z-drug']],
  [/mupirocin/, ['topical antibacterial']],
  [/fusidic|fusidate/, ['fusidane']],
  [/vaccine|toxoid/, ['vaccine']],
  [/levothyroxine|thyroxine/, ['thyroid hormone']],
  [/carbimazole|methimazole|propylthiouracil/, ['antithyroid']],
];

/** Everyday products sold without a prescription: no schedule is guessed for these classes alone. */
const OTC_CLASSES = new Set(['analgesic', 'antipyretic', 'salicylate', 'iodine']);

/** Drugs and Cosmetics Rules Schedule H1 (2013 list). */
const SCHEDULE_H1 =
  /alprazolam|balofloxacin|buprenorphine|capreomycin|cefdinir|cefditoren|cefepime|cefetamet|cefixime|cefoperazone|cefotaxime|cefpirome|cefpodoxime|ceftazidime|ceftibuten|ceftizoxime|ceftriaxone|chlordiazepoxide|clofazimine|codeine|cycloserine|diazepam|diphenoxylate|doripenem|ertapenem|ethambutol|ethionamide|f[ae]ropenem|gemifloxacin|imipenem|isoniazid|levofloxacin|meropenem|midazolam|moxifloxacin|nitrazepam|pentazocine|prulifloxacin|pyrazinamide|rifabutin|rifampicin|aminosalicylate|sparfloxacin|thiacetazone|tramadol|zolpidem/;

export function guessClasses(name: string): string[] {
  const lower = name.toLowerCase();
  const out: string[] = [];
  for (const [pattern, classes] of CLASS_KEYWORDS) {
    if (pattern.test(lower)) for (const c of classes) if (!out.includes(c)) out.push(c);
  }
  return out;
}

/** H1 by the published list; H for anything with a prescription-only class; otherwise unknown (null). */
export function guessSchedule(name: string, classes: string[]): DrugSchedule | null {
  if (SCHEDULE_H1.test(name.toLowerCase())) return 'H1';
  return classes.some((c) => !OTC_CLASSES.has(c)) ? 'H' : null;
}

type ImportedDrug = NewRow<typeof drugs> & { id: string };

/** One CSV record as a drug row, or why it is skipped. */
export function janAushadhiRow(record: Record<string, string>): ImportedDrug | string {
  const code = (record.drug_code ?? '').trim();
  const text = (record.generic_name ?? '').replace(/\s+/g, ' ').trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9./-]{0,19}$/.test(code)) return code ? `${code}: not a drug code` : '(no drug code)';
  if (!text) return `${code}: no name`;
  const mrp = rupeesToPaise(record.mrp_inr ?? '');
  if (mrp === 'invalid') return `${code}: MRP "${record.mrp_inr}" is not an amount in rupees`;
  const consumable = /surgical|consumable/i.test(record.group_name ?? '');
  if (consumable) {
    return {
      id: importedDrugId('janaushadhi', code),
      genericName: text,
      form: 'consumable',
      strength: null,
      route: 'other',
      schedule: null,
      classes: [],
      source: 'janaushadhi',
      sourceCode: code,
      mrpPaise: mrp,
      packSize: record.unit_size?.trim() || null,
      hsnCode: null,
      gstRateBp: null,
    };
  }
  const parsed = parseProductName(text);
  const classes = guessClasses(text);
  return {
    id: importedDrugId('janaushadhi', code),
    genericName: parsed.genericName,
    form: parsed.form,
    strength: parsed.strength,
    route: parsed.route,
    schedule: guessSchedule(text, classes),
    classes,
    source: 'janaushadhi',
    sourceCode: code,
    mrpPaise: mrp,
    packSize: record.unit_size?.trim() || null,
    hsnCode: /vaccine/i.test(record.group_name ?? '') ? '3002' : '3004',
    gstRateBp: 500,
  };
}

export interface JanAushadhiImportResult {
  imported: number;
  rejected: number;
  rejectedExamples: string[];
  /** New drugs, drugs whose details changed, and drugs already as in the file. */
  inserted: number;
  updated: number;
  unchanged: number;
  /** Jan Aushadhi drugs now in the formulary. */
  total: number;
}

/**
 * Loads the Jan Aushadhi product list (drug_code,generic_name,unit_size,mrp_inr,group_name) in
 * batches. Each product is upserted through `write` (a Writer made for the job), so every new or
 * changed row is stamped and reaches change_log like any other write; a product already as in the
 * file is left alone, so importing the same file again changes nothing.
 */
export async function importJanAushadhiCsv(
  deps: { db: Db; sqlite: Database.Database; write: Writer },
  file: string,
  job: JobControl,
): Promise<JanAushadhiImportResult> {
  let inserted = 0;
  let updated = 0;
  const write = deps.write.withRecorder((w) => {
    if (w.op === 'insert') inserted += 1;
    else updated += 1;
  });
  const find = deps.sqlite.prepare('SELECT 1 FROM drugs WHERE id = ?').pluck();
  const result = await importCsv<ImportedDrug>(deps.sqlite, file, job, {
    columns: ['drug_code', 'generic_name', 'unit_size', 'mrp_inr', 'group_name'],
    row: janAushadhiRow,
    apply: (row) => {
      if (find.get(row.id) === undefined) {
        write.insert(drugs, { ...row, brandNames: [], active: true });
        return;
      }
      const { id, ...fields } = row;
      const patch: RowPatch<typeof drugs> = fields;
      write.update(drugs, id, patch);
    },
    label: 'drugs',
  });
  const total = deps.sqlite.prepare("SELECT count(*) FROM drugs WHERE source = 'janaushadhi' AND deleted_at IS NULL").pluck().get() as number;
  return { ...result, inserted, updated, unchanged: result.imported - inserted - updated, total };
}
