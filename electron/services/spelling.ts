/**
 * Indian doctors write British medical spelling ("anaemia", "oesophagitis", "diarrhoea"); the
 * ICD-10-CM titles are American ("anemia", "esophagitis", "diarrhea") while the starter list is
 * British. A search word is therefore tried in both spellings. The rules are word fragments, so a
 * prefix typed half-way ("haemorr", "oesoph") already finds the other spelling.
 */
const RULES: readonly (readonly [british: string, american: string])[] = [
  ['haem', 'hem'],
  ['aem', 'em'],
  ['oesop', 'esop'],
  ['oede', 'ede'],
  ['oestr', 'estr'],
  ['rrhoe', 'rrhe'],
  ['pnoe', 'pne'],
  ['paed', 'ped'],
  ['gynaec', 'gynec'],
  ['anaes', 'anes'],
  ['faec', 'fec'],
  ['foet', 'fet'],
  ['coeli', 'celi'],
  ['caesar', 'cesar'],
  ['tumou', 'tumo'],
  ['behaviou', 'behavio'],
  ['colou', 'colo'],
  ['labou', 'labo'],
  ['isation', 'ization'],
  ['alis', 'aliz'],
  ['unis', 'uniz'],
  ['sulph', 'sulf'],
  ['centre', 'center'],
  ['fibre', 'fiber'],
  ['aluminium', 'aluminum'],
];

/** The most spellings tried for one word, so a long query stays one cheap FTS lookup. */
const MAX_VARIANTS = 4;

/** The word itself first, then its American and its British spelling where they differ (lower case). */
export function spellingVariants(word: string): string[] {
  const w = word.toLowerCase();
  const out = [w];
  const add = (v: string) => {
    if (!out.includes(v) && out.length < MAX_VARIANTS) out.push(v);
  };
  add(RULES.reduce((s, [gb, us]) => s.replaceAll(gb, us), w));
  // Back to British only where the word has no British fragment already ("haemi" is not "haaemi").
  add(RULES.reduce((s, [gb, us]) => (s.includes(gb) ? s : s.replaceAll(us, gb)), w));
  return out;
}
