-- Name search for patients. Contentless (the names live in `patients`); rowid = patient_search.rank,
-- so ORDER BY rowid DESC streams the most recent visitors first without sorting the matches.
-- `name` holds the normalised words of the name, `ph` their phonetic keys (see services/phonetic.ts).
CREATE VIRTUAL TABLE `patient_fts` USING fts5(
  name,
  ph,
  content = '',
  contentless_delete = 1,
  prefix = '1 2 3',
  tokenize = 'unicode61 remove_diacritics 2'
);
