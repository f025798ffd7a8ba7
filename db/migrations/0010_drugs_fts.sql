-- Drug search by generic or brand name prefix, kept in step with `drugs` by triggers.
-- `names` is the generic name and brand names joined with spaces (a generated column would not
-- survive sync apply order, so the triggers compute it).
CREATE VIRTUAL TABLE `drugs_fts` USING fts5(
  names,
  content = '',
  contentless_delete = 1,
  prefix = '2 3',
  tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE TABLE `drugs_fts_map` (`rowid` integer PRIMARY KEY, `drug_id` text NOT NULL UNIQUE);
--> statement-breakpoint
CREATE TRIGGER `drugs_ai` AFTER INSERT ON `drugs` BEGIN
  INSERT INTO drugs_fts_map (drug_id) VALUES (new.id);
  INSERT INTO drugs_fts (rowid, names) VALUES (
    (SELECT rowid FROM drugs_fts_map WHERE drug_id = new.id),
    new.generic_name || ' ' || (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(new.brand_names))
  );
END;
--> statement-breakpoint
CREATE TRIGGER `drugs_au` AFTER UPDATE OF generic_name, brand_names ON `drugs` BEGIN
  DELETE FROM drugs_fts WHERE rowid = (SELECT rowid FROM drugs_fts_map WHERE drug_id = new.id);
  INSERT INTO drugs_fts (rowid, names) VALUES (
    (SELECT rowid FROM drugs_fts_map WHERE drug_id = new.id),
    new.generic_name || ' ' || (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(new.brand_names))
  );
END;
