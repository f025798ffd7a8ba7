import LAY_TERM_GROUPS from '../../shared/lay-terms.json';

/**
 * Everyday words Indian patients and doctors use ("piles", "pet dard", "kidney stone", "peeliya")
 * mapped to ICD-10-CM codes (shared/lay-terms.json, reviewed: see shared/LAY-TERMS.md). The words
 * of a query match a term's words as typed prefixes in any order ("kidney st", "dard pet"), and a
 * word of four letters or more also with one letter wrong, missing or extra, because transliterated
 * Hindi has no fixed spelling ("bukhaar", "khaasi").
 */

export interface LayTermGroup {
  codes: string[];
  terms: string[];
}

interface Term {
  words: string[];
  text: string;
  codes: string[];
  /** The group's place in the file: earlier groups win ties. */
  order: number;
}

export const layTermGroups: readonly LayTermGroup[] = LAY_TERM_GROUPS;

export const wordsOf = (text: string) =>
  text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);

const TERMS: Term[] = layTermGroups.flatMap((g, order) => g.terms.map((t) => ({ words: wordsOf(t), text: wordsOf(t).join(' '), codes: g.codes, order })));

/** True when a and b differ by at most one inserted, deleted or changed letter. */
export function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** 3: the whole word; 2: its start; 1: within one letter of the word or its start; 0: no match. */
function wordScore(typed: string, word: string): number {
  if (typed === word) return 3;
  if (word.startsWith(typed)) return 2;
  // Misspelt transliterations keep their first letter ("bokhaar", "khaasi"): checking only those is cheap.
  if (typed.length < 4 || typed[0] !== word[0]) return 0;
  if (withinOneEdit(typed, word)) return 1;
  for (const n of [typed.length - 1, typed.length, typed.length + 1]) {
    if (n < word.length && withinOneEdit(typed, word.slice(0, n))) return 1;
  }
  return 0;
}

/** How well a term fits the typed words (every typed word must fit one of its words), or 0. */
function termScore(typed: string[], term: Term): number {
  let score = 0;
  for (const w of typed) {
    let best = 0;
    for (const tw of term.words) best = Math.max(best, wordScore(w, tw));
    if (best === 0) return 0;
    score += best;
  }
  // The typed words in the term's own order, and the term typed whole, come first.
  if (term.words[0] !== undefined && wordScore(typed[0]!, term.words[0]) > 0) score += 1;
  if (typed.join(' ') === term.text) score += 5;
  return score;
}

export interface LayMatch {
  code: string;
  /** Every typed word was a whole word of the term ("pet dard"), not its start or a misspelling. */
  whole: boolean;
}

/**
 * ICD-10 codes for the lay terms a query matches, best first, at most `max` codes. One short word
 * ("bp", "tb") must be a whole term: as a prefix it would match half the list.
 */
export function layTermCodes(query: string, max: number): LayMatch[] {
  const typed = wordsOf(query);
  if (typed.length === 0) return [];
  const short = typed.length === 1 && typed[0]!.length < 3;
  const scored: { term: Term; score: number }[] = [];
  for (const term of TERMS) {
    if (short && term.text !== typed[0]) continue;
    const score = termScore(typed, term);
    if (score > 0) scored.push({ term, score });
  }
  scored.sort((a, b) => b.score - a.score || a.term.words.length - b.term.words.length || a.term.order - b.term.order);
  const out: LayMatch[] = [];
  for (const { term } of scored) {
    const whole = typed.every((w) => term.words.includes(w));
    for (const code of term.codes) if (!out.some((m) => m.code === code) && out.length < max) out.push({ code, whole });
    if (out.length >= max) break;
  }
  return out;
}
