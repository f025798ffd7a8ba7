/**
 * Name matching tuned for Indian names written in Latin letters, where one name has many
 * spellings: Mohammed / Mohd / Muhammad, Lakshmi / Laxmi, Shrinivas / Srinivas, Amit / Ameet.
 * A key keeps the first letter, folds spelling variants, drops vowels and aspirated 'h', and
 * collapses doubled letters.
 */

/** Lower-case words of a name, accents removed; anything that is not a letter or digit separates words. */
export function nameWords(name: string): string[] {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

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

export function phoneticKeys(name: string): string[] {
  return nameWords(name)
    .filter((w) => /[a-z]/.test(w))
    .map(phoneticKey)
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
