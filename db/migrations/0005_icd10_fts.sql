-- Title search for ICD-10 codes, kept in step with icd10_codes by triggers (external content).
CREATE VIRTUAL TABLE `icd10_fts` USING fts5(
  code,
  title,
  content = 'icd10_codes',
  content_rowid = 'id',
  prefix = '2 3',
  tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TRIGGER `icd10_codes_ai` AFTER INSERT ON `icd10_codes` BEGIN
  INSERT INTO icd10_fts (rowid, code, title) VALUES (new.id, new.code, new.title);
END;
--> statement-breakpoint
CREATE TRIGGER `icd10_codes_ad` AFTER DELETE ON `icd10_codes` BEGIN
  INSERT INTO icd10_fts (icd10_fts, rowid, code, title) VALUES ('delete', old.id, old.code, old.title);
END;
--> statement-breakpoint
CREATE TRIGGER `icd10_codes_au` AFTER UPDATE ON `icd10_codes` BEGIN
  INSERT INTO icd10_fts (icd10_fts, rowid, code, title) VALUES ('delete', old.id, old.code, old.title);
  INSERT INTO icd10_fts (rowid, code, title) VALUES (new.id, new.code, new.title);
END;
