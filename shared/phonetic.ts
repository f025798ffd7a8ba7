/**
 * Name matching tuned for Indian names written in Latin letters, where one name has many
 * spellings: Mohammed / Mohd / Muhammad, Lakshmi / Laxmi, Shrinivas / Srinivas, Amit / Ameet.
 * A key keeps the first letter, folds spelling variants, drops vowels and aspirated 'h', and
 * collapses doubled letters.
 */

/** An apostrophe inside a name (D'Souza, O'Brien, D’Cruz): typed or left out, it is one name. */
const APOSTROPHES = /['\u2019\u02bc`]/g;

/** The parts of a name's words that an apostrophe joins ("D'Souza" gives d, souza), for the index; none without one. */
export function apostropheParts(name: string): string[] {
  return name
    .split(/\s+/)
    .filter((w) => /['\u2019\u02bc`]/.test(w))
    .flatMap((w) => nameWords(w.replace(APOSTROPHES, ' ')));
}

/**
 * Lower-case words of a name, accents removed. A word is letters and digits of any script with
 * their combining marks, so a name typed in Devanagari (राम शर्मा: its vowel signs and viramas are
 * marks) stays whole instead of vanishing; apostrophes are dropped (D'Souza is "dsouza"); anything
 * else separates words.
 */
export function nameWords(name: string): string[] {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(APOSTROPHES, '')
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** Whether a word of a name is in Latin letters (it has a phonetic key) rather than another script or digits. */
export const isLatinWord = (w: string): boolean => /[a-z]/.test(w);

const FOLDS: [RegExp, string][] = [
  [/ksh/g, 'ks'],
  [/x/g, 'ks'],
  [/chh/g, 'ch'],
  [/ch/g, '#'],
  [/sh/g, 's'],
  [/ph/g, 'f'],
  [/th/g, 't'],
  [/dh/g, 'd'],
  [/bh/g, 'b'],
  [/kh/g, 'k'],
  [/gh/g, 'g'],
  [/jh/g, 'j'],
  [/ck/g, 'k'],
  [/q/g, 'k'],
  [/c/g, 'k'],
  [/w/g, 'v'],
  [/z/g, 'j'],
  [/#/g, 'c'],
];

export function phoneticKey(word: string): string {
  let w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (w.length === 0) return '';
  for (const [from, to] of FOLDS) w = w.replace(from, to);
  const first = w[0]!;
  const rest = w.slice(1).replace(/[aeiouyh]/g, '');
  return (first + rest).replace(/(.)\1+/g, '$1');
}

/**
 * The keys two names are compared by: a Latin word's phonetic key; a word in another script
 * (Devanagari) as it is, since spelling variants there are not folded; digits alone are left out.
 */
export function phoneticKeys(name: string): string[] {
  return nameWords(name)
    .filter((w) => /\p{L}/u.test(w))
    .map((w) => (isLatinWord(w) ? phoneticKey(w) : w))
    .filter((k) => k.length > 0);
}

/**
 * Two names are similar when their first words sound alike, or when at least half of their
 * words do. A shared family name alone ("Ramesh Kumar" / "Sunita Kumar") is not enough.
 */
export function similarNames(a: string, b: string): boolean {
  const ka = phoneticKeys(a);
  const kb = phoneticKeys(b);
  if (ka.length === 0 || kb.length === 0) return false;
  if (ka[0] === kb[0]) return true;
  const sa = new Set(ka);
  const sb = new Set(kb);
  const shared = [...sa].filter((k) => sb.has(k)).length;
  return shared / new Set([...sa, ...sb]).size >= 0.5;
}

/** The same name, spelling aside: every word sounds alike, in any order. */
export function sameName(a: string, b: string): boolean {
  const ka = [...new Set(phoneticKeys(a))].sort();
  const kb = [...new Set(phoneticKeys(b))].sort();
  return ka.length > 0 && ka.join(' ') === kb.join(' ');
}
