-- The name index again, with Unicode marks as part of a word: Devanagari's vowel signs and viramas
-- are marks, and the first tokenizer split on them, so राम was indexed as र and म and a search for
-- it found रीमा and रोमा too. The table is local (never synced) and derived from patients: the app
-- fills it again at its next open (electron/services/patient-search.ts refreshNameIndex), keeping
-- each patient's place in the recency order (patient_search is untouched).
DROP TABLE `patient_fts`;--> statement-breakpoint
CREATE VIRTUAL TABLE `patient_fts` USING fts5(
  name,
  ph,
  content = '',
  contentless_delete = 1,
  prefix = '1 2 3',
  tokenize = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'"
);
