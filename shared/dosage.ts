import type { Timing } from './clinical';

/**
 * Dosage words for prescriptions: the Indian `1-0-1` notation and the usual Latin abbreviations
 * (OD, BD, TDS, QID, HS, SOS, ...) in English and Hindi, and how many doses a day they mean (to
 * compute quantities). Pure functions, no I/O.
 */

export type DosageLang = 'en' | 'hi';

export interface FrequencyInfo {
  /** The shorthand to print before the words ("1-0-1", "BD"); null when the input was words. */
  shorthand: string | null;
  en: string;
  hi: string;
  /** See {@link dosesPerDay}. */
  perDay: number | null;
}

interface Known {
  en: string;
  hi: string;
  perDay: number | null;
}

const ONCE: Known = { en: 'once a day', hi: 'दिन में एक बार', perDay: 1 };
const TWICE: Known = { en: 'twice a day', hi: 'दिन में दो बार', perDay: 2 };
const THRICE: Known = { en: 'three times a day', hi: 'दिन में तीन बार', perDay: 3 };
const FOUR: Known = { en: 'four times a day', hi: 'दिन में चार बार', perDay: 4 };
const BEDTIME: Known = { en: 'at bedtime', hi: 'सोते समय', perDay: 1 };
const NEEDED: Known = { en: 'when needed', hi: 'ज़रूरत होने पर', perDay: null };
const STAT: Known = { en: 'immediately, once', hi: 'तुरंत, एक बार', perDay: null };
const ALTERNATE: Known = { en: 'on alternate days', hi: 'एक दिन छोड़कर', perDay: 0.5 };
const WEEKLY: Known = { en: 'once a week', hi: 'हफ़्ते में एक बार', perDay: null };

/** Abbreviations, keyed without dots or spaces, upper case. */
const ABBREVIATIONS: Record<string, Known> = {
  OD: ONCE,
  QD: ONCE,
  BD: TWICE,
  BID: TWICE,
  TDS: THRICE,
  TID: THRICE,
  QID: FOUR,
  QDS: FOUR,
  HS: BEDTIME,
  SOS: NEEDED,
  PRN: NEEDED,
  STAT: STAT,
  QOD: ALTERNATE,
};

/** Frequencies written out in words, keyed by lower-case letters only. */
const WORDS: Record<string, Known> = {
  daily: ONCE,
  oncedaily: ONCE,
  onceaday: ONCE,
  twicedaily: TWICE,
  twiceaday: TWICE,
  thricedaily: THRICE,
  threetimesdaily: THRICE,
  threetimesaday: THRICE,
  fourtimesdaily: FOUR,
  fourtimesaday: FOUR,
  atbedtime: BEDTIME,
  bedtime: BEDTIME,
  atnight: { en: 'at night', hi: 'रात में', perDay: 1 },
  inthemorning: { en: 'in the morning', hi: 'सुबह', perDay: 1 },
  whenneeded: NEEDED,
  asneeded: NEEDED,
  whenrequired: NEEDED,
  asrequired: NEEDED,
  ifneeded: NEEDED,
  immediately: STAT,
  alternatedays: ALTERNATE,
  alternateday: ALTERNATE,
  onalternatedays: ALTERNATE,
  everyotherday: ALTERNATE,
  weekly: WEEKLY,
  onceaweek: WEEKLY,
};

const SLOT_EN_3 = ['morning', 'afternoon', 'night'];
const SLOT_EN_4 = ['morning', 'afternoon', 'evening', 'night'];
const SLOT_ALONE_EN: Record<string, string> = {
  morning: 'in the morning',
  afternoon: 'in the afternoon',
  evening: 'in the evening',
  night: 'at night',
};
const SLOT_HI: Record<string, string> = { morning: 'सुबह', afternoon: 'दोपहर', evening: 'शाम', night: 'रात' };
const SLOT_ALONE_HI: Record<string, string> = {
  morning: 'सुबह',
  afternoon: 'दोपहर में',
  evening: 'शाम को',
  night: 'रात में',
};

const FRACTIONS: Record<string, number> = { '½': 0.5, '¼': 0.25, '¾': 0.75 };

/** "1", "0", "2", "½", "1½", "1/2", "0.5" → the amount; null when it is not an amount. */
function parseAmount(token: string): number | null {
  const t = token.trim();
  let m = /^(\d*)([½¼¾])$/.exec(t);
  if (m) return (m[1] ? Number(m[1]) : 0) + (FRACTIONS[m[2] ?? ''] ?? 0);
  m = /^(\d+)\/(\d+)$/.exec(t);
  if (m) return Number(m[2]) === 0 ? null : Number(m[1]) / Number(m[2]);
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  if (/^\.\d+$/.test(t)) return Number(t);
  return null;
}

function joinWords(words: string[], and: string): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${and} ${words[words.length - 1]}`;
}

/** The Indian morning-afternoon(-evening)-night pattern, e.g. "1-0-1", "½-0-½", "1-1-1-1". */
function parsePattern(freq: string): FrequencyInfo | null {
  const parts = freq.trim().split(/\s*[-–—]\s*/);
  if (parts.length !== 3 && parts.length !== 4) return null;
  const amounts = parts.map(parseAmount);
  if (amounts.some((a) => a === null)) return null;
  const values = amounts as number[];
  const total = values.reduce((s, a) => s + a, 0);
  if (total <= 0) return null;
  const slots = parts.length === 3 ? SLOT_EN_3 : SLOT_EN_4;
  const taken = values.map((a, i) => ({ a, slot: slots[i] ?? '', token: (parts[i] ?? '').trim() })).filter((s) => s.a > 0);
  const shorthand = parts.map((p) => p.trim()).join('-');
  const allOnes = taken.every((s) => s.a === 1);
  let en: string;
  let hi: string;
  if (allOnes && taken.length === 4) {
    en = FOUR.en;
    hi = FOUR.hi;
  } else if (allOnes && taken.length === 1) {
    const slot = taken[0]?.slot ?? '';
    en = SLOT_ALONE_EN[slot] ?? slot;
    hi = SLOT_ALONE_HI[slot] ?? slot;
  } else if (allOnes) {
    en = joinWords(
      taken.map((s) => s.slot),
      'and',
    );
    hi = joinWords(
      taken.map((s) => SLOT_HI[s.slot] ?? s.slot),
      'और',
    );
  } else {
    en = joinWords(
      taken.map((s) => `${s.token} ${SLOT_ALONE_EN[s.slot] ?? s.slot}`),
      'and',
    );
    hi = joinWords(
      taken.map((s) => `${SLOT_HI[s.slot] ?? s.slot} ${s.token}`),
      'और',
    );
  }
  return { shorthand, en, hi, perDay: total };
}

/** Understands a frequency as written on a prescription; null when it is not recognised. */
export function parseFrequency(freq: string): FrequencyInfo | null {
  const trimmed = freq.trim();
  if (trimmed === '') return null;
  const pattern = parsePattern(trimmed);
  if (pattern) return pattern;

  const abbr = trimmed.toUpperCase().replace(/[.\s]/g, '');
  const known = ABBREVIATIONS[abbr];
  if (known) return { shorthand: abbr, ...known };

  const hourly = /^Q(\d{1,2})H$/.exec(abbr) ?? /^EVERY(\d{1,2})(H|HRS?|HOURS?)$/.exec(abbr);
  if (hourly) {
    const hours = Number(hourly[1]);
    if (hours > 0) {
      return {
        shorthand: abbr.startsWith('Q') ? abbr : null,
        en: `every ${hours} hours`,
        hi: `हर ${hours} घंटे पर`,
        perDay: 24 % hours === 0 ? 24 / hours : null,
      };
    }
  }

  const words = WORDS[trimmed.toLowerCase().replace(/[^a-z]/g, '')];
  if (words) return { shorthand: null, ...words };
  return null;
}

/**
 * The frequency in words: 1-0-1 → "morning and night" / "सुबह और रात", 1-1-1-1 → "four times a
 * day", SOS → "when needed", BD → "twice a day". A frequency it does not recognise comes back as
 * written for 'en' and as '' for 'hi' (there is nothing to translate it with).
 */
export function frequencyWords(freq: string, lang: DosageLang): string {
  const info = parseFrequency(freq);
  if (!info) return lang === 'en' ? freq.trim() : '';
  return lang === 'en' ? info.en : info.hi;
}

/**
 * How many doses a day a frequency means, to compute quantities: for the 1-0-1 pattern the sum
 * of its parts (the parts already count units: 2-0-2 → 4, ½-0-½ → 1); for abbreviations and
 * words the times a day (OD/HS 1, BD 2, TDS 3, QID 4, Q6H 4, alternate days 0.5). Null when it
 * cannot be known (SOS, STAT, weekly, anything unrecognised).
 */
export function dosesPerDay(freq: string): number | null {
  return parseFrequency(freq)?.perDay ?? null;
}

const TIMING: Record<Timing, { en: string; hi: string }> = {
  'before-food': { en: 'before food', hi: 'खाने से पहले' },
  'after-food': { en: 'after food', hi: 'खाने के बाद' },
  'with-food': { en: 'with food', hi: 'खाने के साथ' },
  'empty-stomach': { en: 'on an empty stomach', hi: 'खाली पेट' },
  bedtime: { en: 'at bedtime', hi: 'सोते समय' },
  any: { en: '', hi: '' },
};

/** "after food" / "खाने के बाद"; '' for 'any'. */
export function timingWords(timing: Timing, lang: DosageLang): string {
  return TIMING[timing]?.[lang] ?? '';
}

const ROUTES: Record<string, { en: string; hi: string }> = {
  oral: { en: '', hi: '' },
  po: { en: '', hi: '' },
  'by mouth': { en: '', hi: '' },
  topical: { en: 'apply on the skin', hi: 'त्वचा पर लगाएँ' },
  local: { en: 'local application', hi: 'प्रभावित जगह पर लगाएँ' },
  ophthalmic: { en: 'in the eye', hi: 'आँख में' },
  eye: { en: 'in the eye', hi: 'आँख में' },
  otic: { en: 'in the ear', hi: 'कान में' },
  ear: { en: 'in the ear', hi: 'कान में' },
  nasal: { en: 'in the nose', hi: 'नाक में' },
  inhalation: { en: 'inhaled', hi: 'साँस से लें' },
  inhaled: { en: 'inhaled', hi: 'साँस से लें' },
  sublingual: { en: 'under the tongue', hi: 'जीभ के नीचे' },
  buccal: { en: 'inside the cheek', hi: 'गाल के अंदर' },
  rectal: { en: 'rectal', hi: 'गुदा मार्ग से' },
  vaginal: { en: 'vaginal', hi: 'योनि मार्ग से' },
  im: { en: 'intramuscular (IM)', hi: 'मांसपेशी में इंजेक्शन' },
  intramuscular: { en: 'intramuscular (IM)', hi: 'मांसपेशी में इंजेक्शन' },
  iv: { en: 'intravenous (IV)', hi: 'नस में इंजेक्शन' },
  intravenous: { en: 'intravenous (IV)', hi: 'नस में इंजेक्शन' },
  sc: { en: 'subcutaneous (SC)', hi: 'त्वचा के नीचे इंजेक्शन' },
  subcutaneous: { en: 'subcutaneous (SC)', hi: 'त्वचा के नीचे इंजेक्शन' },
};

/** How the route prints: '' for oral (the default), words for the common ones, else as written. */
export function routeWords(route: string, lang: DosageLang): string {
  const key = route.trim().toLowerCase();
  const known = ROUTES[key];
  if (known) return known[lang];
  return lang === 'en' ? route.trim() : '';
}

/** "for 5 days" / "5 दिन तक"; '' when there is no duration. */
export function durationWords(days: number | null, lang: DosageLang): string {
  if (days === null || !Number.isFinite(days) || days <= 0) return '';
  if (lang === 'hi') return `${days} दिन तक`;
  return days === 1 ? 'for 1 day' : `for ${days} days`;
}
