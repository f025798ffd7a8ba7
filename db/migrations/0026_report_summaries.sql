-- The owner's reports over a year without reading every bill's lines and every note's diagnoses
-- as JSON (electron/services/reports/). Per-day sums, kept by triggers in the same statement as
-- the rows they sum, whoever writes them: the app through the Writer, rows pulled by sync (an
-- upsert fires the update triggers), rows set aside (deleted). Local only, never synced: each
-- desk derives them from its own rows. Sums of signed contributions: a row's old contribution is
-- taken off and its new one added, so zero rows may stay (the reports skip them).
-- Invoices counted: issued, not removed, with a day of issue; by day and the bill's doctor
-- (no_doctor = 1 when it has none, so a bill without a doctor stays apart from any id).
CREATE TABLE `report_billed_days` (
  `day` text NOT NULL, `doctor_id` text NOT NULL, `no_doctor` integer NOT NULL,
  `invoices` integer NOT NULL, `total_paise` integer NOT NULL, `round_off_paise` integer NOT NULL,
  `line_discount_paise` integer NOT NULL, `bill_discount_paise` integer NOT NULL, `discounted` integer NOT NULL,
  PRIMARY KEY (`day`, `doctor_id`, `no_doctor`)
) WITHOUT ROWID;
--> statement-breakpoint
-- Their lines by service kind ('' when a line has none).
CREATE TABLE `report_billed_line_days` (
  `day` text NOT NULL, `kind` text NOT NULL, `lines` integer NOT NULL, `paise` integer NOT NULL,
  PRIMARY KEY (`day`, `kind`)
) WITHOUT ROWID;
--> statement-breakpoint
-- Completed, not removed consultations of visits not removed, by the visit's day and ICD-10 code
-- (upper-cased, trimmed; '' for diagnoses written without a code): consultations giving the code,
-- and diagnoses (entries) with it.
CREATE TABLE `report_diagnosis_days` (
  `day` text NOT NULL, `code` text NOT NULL, `consultations` integer NOT NULL, `diagnoses` integer NOT NULL,
  PRIMARY KEY (`day`, `code`)
) WITHOUT ROWID;
--> statement-breakpoint
-- The titles the doctors wrote for each code (a code not on the ICD-10 list is named by them);
-- title has no type so a value is kept exactly as the note had it.
CREATE TABLE `report_diagnosis_title_days` (
  `day` text NOT NULL, `code` text NOT NULL, `title` NOT NULL, `diagnoses` integer NOT NULL,
  PRIMARY KEY (`day`, `code`, `title`)
) WITHOUT ROWID;
--> statement-breakpoint
-- Money by mode over a year read from the index alone.
CREATE INDEX `payments_report_idx` ON `payments` (`received_on`, `deleted_at`, `mode`, `amount_paise`);
--> statement-breakpoint
-- Follow-ups falling due in a range read from the index alone.
CREATE INDEX `visits_report_follow_up_idx` ON `visits` (`follow_up_date`, `status`, `deleted_at`, `doctor_id`, `patient_id`, `date`);
--> statement-breakpoint
CREATE TRIGGER `report_invoices_insert` AFTER INSERT ON `invoices` WHEN NEW.status = 'issued' AND NEW.deleted_at IS NULL BEGIN
  INSERT INTO report_billed_days (day, doctor_id, no_doctor, invoices, total_paise, round_off_paise, line_discount_paise, bill_discount_paise, discounted)
  SELECT NEW.issued_on, coalesce(NEW.doctor_id, ''), NEW.doctor_id IS NULL, 1,
         1 * coalesce(json_extract(t.j, '$.totalPaise'), 0), 1 * coalesce(json_extract(t.j, '$.roundOffPaise'), 0),
         1 * coalesce(json_extract(t.j, '$.lineDiscountPaise'), 0), 1 * coalesce(json_extract(t.j, '$.invoiceDiscountPaise'), 0),
         1 * coalesce(json_extract(t.j, '$.lineDiscountPaise') + json_extract(t.j, '$.invoiceDiscountPaise') > 0, 0)
  FROM (SELECT CASE WHEN json_valid(NEW.totals) THEN NEW.totals END AS j) t
  WHERE NEW.status = 'issued' AND NEW.deleted_at IS NULL AND NEW.issued_on IS NOT NULL
  ON CONFLICT (day, doctor_id, no_doctor) DO UPDATE SET invoices = invoices + excluded.invoices, total_paise = total_paise + excluded.total_paise,
    round_off_paise = round_off_paise + excluded.round_off_paise, line_discount_paise = line_discount_paise + excluded.line_discount_paise,
    bill_discount_paise = bill_discount_paise + excluded.bill_discount_paise, discounted = discounted + excluded.discounted;
  INSERT INTO report_billed_line_days (day, kind, lines, paise)
  SELECT NEW.issued_on, coalesce(json_extract(CASE WHEN l.type = 'object' THEN l.value END, '$.kind'), ''), 1 * count(*), 1 * coalesce(sum(json_extract(CASE WHEN l.type = 'object' THEN l.value END, '$.totalPaise')), 0)
  FROM json_each(CASE WHEN json_valid(NEW.lines) THEN NEW.lines END) l
  WHERE l.type = 'object' AND NEW.status = 'issued' AND NEW.deleted_at IS NULL AND NEW.issued_on IS NOT NULL
  GROUP BY 2
  ON CONFLICT (day, kind) DO UPDATE SET lines = lines + excluded.lines, paise = paise + excluded.paise;
END;
--> statement-breakpoint
CREATE TRIGGER `report_invoices_update` AFTER UPDATE ON `invoices` WHEN (OLD.status = 'issued' AND OLD.deleted_at IS NULL) OR (NEW.status = 'issued' AND NEW.deleted_at IS NULL) BEGIN
  INSERT INTO report_billed_days (day, doctor_id, no_doctor, invoices, total_paise, round_off_paise, line_discount_paise, bill_discount_paise, discounted)
  SELECT OLD.issued_on, coalesce(OLD.doctor_id, ''), OLD.doctor_id IS NULL, -1,
         -1 * coalesce(json_extract(t.j, '$.totalPaise'), 0), -1 * coalesce(json_extract(t.j, '$.roundOffPaise'), 0),
         -1 * coalesce(json_extract(t.j, '$.lineDiscountPaise'), 0), -1 * coalesce(json_extract(t.j, '$.invoiceDiscountPaise'), 0),
         -1 * coalesce(json_extract(t.j, '$.lineDiscountPaise') + json_extract(t.j, '$.invoiceDiscountPaise') > 0, 0)
  FROM (SELECT CASE WHEN json_valid(OLD.totals) THEN OLD.totals END AS j) t
  WHERE OLD.status = 'issued' AND OLD.deleted_at IS NULL AND OLD.issued_on IS NOT NULL
  ON CONFLICT (day, doctor_id, no_doctor) DO UPDATE SET invoices = invoices + excluded.invoices, total_paise = total_paise + excluded.total_paise,
    round_off_paise = round_off_paise + excluded.round_off_paise, line_discount_paise = line_discount_paise + excluded.line_discount_paise,
    bill_discount_paise = bill_discount_paise + excluded.bill_discount_paise, discounted = discounted + excluded.discounted;
  INSERT INTO report_billed_line_days (day, kind, lines, paise)
  SELECT OLD.issued_on, coalesce(json_extract(CASE WHEN l.type = 'object' THEN l.value END, '$.kind'), ''), -1 * count(*), -1 * coalesce(sum(json_extract(CASE WHEN l.type = 'object' THEN l.value END, '$.totalPaise')), 0)
  FROM json_each(CASE WHEN json_valid(OLD.lines) THEN OLD.lines END) l
  WHERE l.type = 'object' AND OLD.status = 'issued' AND OLD.deleted_at IS NULL AND OLD.issued_on IS NOT NULL
  GROUP BY 2
  ON CONFLICT (day, kind) DO UPDATE SET lines = lines + excluded.lines, paise = paise + excluded.paise;
  INSERT INTO report_billed_days (day, doctor_id, no_doctor, invoices, total_paise, round_off_paise, line_discount_paise, bill_discount_paise, discounted)
  SELECT NEW.issued_on, coalesce(NEW.doctor_id, ''), NEW.doctor_id IS NULL, 1,
         1 * coalesce(json_extract(t.j, '$.totalPaise'), 0), 1 * coalesce(json_extract(t.j, '$.roundOffPaise'), 0),
         1 * coalesce(json_extract(t.j, '$.lineDiscountPaise'), 0), 1 * coalesce(json_extract(t.j, '$.invoiceDiscountPaise'), 0),
         1 * coalesce(json_extract(t.j, '$.lineDiscountPaise') + json_extract(t.j, '$.invoiceDiscountPaise') > 0, 0)
  FROM (SELECT CASE WHEN json_valid(NEW.totals) THEN NEW.totals END AS j) t
  WHERE NEW.status = 'issued' AND NEW.deleted_at IS NULL AND NEW.issued_on IS NOT NULL
  ON CONFLICT (day, doctor_id, no_doctor) DO UPDATE SET invoices = invoices + excluded.invoices, total_paise = total_paise + excluded.total_paise,
    round_off_paise = round_off_paise + excluded.round_off_paise, line_discount_paise = line_discount_paise + excluded.line_discount_paise,
    bill_discount_paise = bill_discount_paise + excluded.bill_discount_paise, discounted = discounted + excluded.discounted;
  INSERT INTO report_billed_line_days (day, kind, lines, paise)
  SELECT NEW.issued_on, coalesce(json_extract(CASE WHEN l.type = 'object' THEN l.value END, '$.kind'), ''), 1 * count(*), 1 * coalesce(sum(json_extract(CASE WHEN l.type = 'object' THEN l.value END, '$.totalPaise')), 0)
  FROM json_each(CASE WHEN json_valid(NEW.lines) THEN NEW.lines END) l
  WHERE l.type = 'object' AND NEW.status = 'issued' AND NEW.deleted_at IS NULL AND NEW.issued_on IS NOT NULL
  GROUP BY 2
  ON CONFLICT (day, kind) DO UPDATE SET lines = lines + excluded.lines, paise = paise + excluded.paise;
END;
--> statement-breakpoint
CREATE TRIGGER `report_invoices_delete` AFTER DELETE ON `invoices` WHEN OLD.status = 'issued' AND OLD.deleted_at IS NULL BEGIN
  INSERT INTO report_billed_days (day, doctor_id, no_doctor, invoices, total_paise, round_off_paise, line_discount_paise, bill_discount_paise, discounted)
  SELECT OLD.issued_on, coalesce(OLD.doctor_id, ''), OLD.doctor_id IS NULL, -1,
         -1 * coalesce(json_extract(t.j, '$.totalPaise'), 0), -1 * coalesce(json_extract(t.j, '$.roundOffPaise'), 0),
         -1 * coalesce(json_extract(t.j, '$.lineDiscountPaise'), 0), -1 * coalesce(json_extract(t.j, '$.invoiceDiscountPaise'), 0),
         -1 * coalesce(json_extract(t.j, '$.lineDiscountPaise') + json_extract(t.j, '$.invoiceDiscountPaise') > 0, 0)
  FROM (SELECT CASE WHEN json_valid(OLD.totals) THEN OLD.totals END AS j) t
  WHERE OLD.status = 'issued' AND OLD.deleted_at IS NULL AND OLD.issued_on IS NOT NULL
  ON CONFLICT (day, doctor_id, no_doctor) DO UPDATE SET invoices = invoices + excluded.invoices, total_paise = total_paise + excluded.total_paise,
    round_off_paise = round_off_paise + excluded.round_off_paise, line_discount_paise = line_discount_paise + excluded.line_discount_paise,
    bill_discount_paise = bill_discount_paise + excluded.bill_discount_paise, discounted = discounted + excluded.discounted;
  INSERT INTO report_billed_line_days (day, kind, lines, paise)
  SELECT OLD.issued_on, coalesce(json_extract(CASE WHEN l.type = 'object' THEN l.value END, '$.kind'), ''), -1 * count(*), -1 * coalesce(sum(json_extract(CASE WHEN l.type = 'object' THEN l.value END, '$.totalPaise')), 0)
  FROM json_each(CASE WHEN json_valid(OLD.lines) THEN OLD.lines END) l
  WHERE l.type = 'object' AND OLD.status = 'issued' AND OLD.deleted_at IS NULL AND OLD.issued_on IS NOT NULL
  GROUP BY 2
  ON CONFLICT (day, kind) DO UPDATE SET lines = lines + excluded.lines, paise = paise + excluded.paise;
END;
--> statement-breakpoint
CREATE TRIGGER `report_consultations_insert` AFTER INSERT ON `consultations` WHEN NEW.status = 'completed' AND NEW.deleted_at IS NULL BEGIN
  INSERT INTO report_diagnosis_days (day, code, consultations, diagnoses)
  SELECT v.date, CASE WHEN coalesce(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code')), '') = '' THEN '' ELSE upper(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code'))) END, 1, 1 * count(*)
  FROM visits v, json_each(CASE WHEN json_valid(NEW.note) THEN NEW.note END, '$.diagnoses') d
  WHERE d.type = 'object' AND v.id = NEW.visit_id AND NEW.status = 'completed' AND NEW.deleted_at IS NULL AND v.deleted_at IS NULL
  GROUP BY 2
  ON CONFLICT (day, code) DO UPDATE SET consultations = consultations + excluded.consultations, diagnoses = diagnoses + excluded.diagnoses;
  INSERT INTO report_diagnosis_title_days (day, code, title, diagnoses)
  SELECT v.date, upper(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code'))), json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.title'), 1 * count(*)
  FROM visits v, json_each(CASE WHEN json_valid(NEW.note) THEN NEW.note END, '$.diagnoses') d
  WHERE d.type = 'object' AND v.id = NEW.visit_id AND NEW.status = 'completed' AND NEW.deleted_at IS NULL AND v.deleted_at IS NULL AND NOT coalesce(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code')), '') = '' AND json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.title') IS NOT NULL
  GROUP BY 2, 3
  ON CONFLICT (day, code, title) DO UPDATE SET diagnoses = diagnoses + excluded.diagnoses;
END;
--> statement-breakpoint
CREATE TRIGGER `report_consultations_update` AFTER UPDATE ON `consultations` WHEN (OLD.status = 'completed' AND OLD.deleted_at IS NULL) OR (NEW.status = 'completed' AND NEW.deleted_at IS NULL) BEGIN
  INSERT INTO report_diagnosis_days (day, code, consultations, diagnoses)
  SELECT v.date, CASE WHEN coalesce(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code')), '') = '' THEN '' ELSE upper(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code'))) END, -1, -1 * count(*)
  FROM visits v, json_each(CASE WHEN json_valid(OLD.note) THEN OLD.note END, '$.diagnoses') d
  WHERE d.type = 'object' AND v.id = OLD.visit_id AND OLD.status = 'completed' AND OLD.deleted_at IS NULL AND v.deleted_at IS NULL
  GROUP BY 2
  ON CONFLICT (day, code) DO UPDATE SET consultations = consultations + excluded.consultations, diagnoses = diagnoses + excluded.diagnoses;
  INSERT INTO report_diagnosis_title_days (day, code, title, diagnoses)
  SELECT v.date, upper(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code'))), json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.title'), -1 * count(*)
  FROM visits v, json_each(CASE WHEN json_valid(OLD.note) THEN OLD.note END, '$.diagnoses') d
  WHERE d.type = 'object' AND v.id = OLD.visit_id AND OLD.status = 'completed' AND OLD.deleted_at IS NULL AND v.deleted_at IS NULL AND NOT coalesce(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code')), '') = '' AND json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.title') IS NOT NULL
  GROUP BY 2, 3
  ON CONFLICT (day, code, title) DO UPDATE SET diagnoses = diagnoses + excluded.diagnoses;
  INSERT INTO report_diagnosis_days (day, code, consultations, diagnoses)
  SELECT v.date, CASE WHEN coalesce(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code')), '') = '' THEN '' ELSE upper(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code'))) END, 1, 1 * count(*)
  FROM visits v, json_each(CASE WHEN json_valid(NEW.note) THEN NEW.note END, '$.diagnoses') d
  WHERE d.type = 'object' AND v.id = NEW.visit_id AND NEW.status = 'completed' AND NEW.deleted_at IS NULL AND v.deleted_at IS NULL
  GROUP BY 2
  ON CONFLICT (day, code) DO UPDATE SET consultations = consultations + excluded.consultations, diagnoses = diagnoses + excluded.diagnoses;
  INSERT INTO report_diagnosis_title_days (day, code, title, diagnoses)
  SELECT v.date, upper(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code'))), json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.title'), 1 * count(*)
  FROM visits v, json_each(CASE WHEN json_valid(NEW.note) THEN NEW.note END, '$.diagnoses') d
  WHERE d.type = 'object' AND v.id = NEW.visit_id AND NEW.status = 'completed' AND NEW.deleted_at IS NULL AND v.deleted_at IS NULL AND NOT coalesce(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code')), '') = '' AND json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.title') IS NOT NULL
  GROUP BY 2, 3
  ON CONFLICT (day, code, title) DO UPDATE SET diagnoses = diagnoses + excluded.diagnoses;
END;
--> statement-breakpoint
CREATE TRIGGER `report_consultations_delete` AFTER DELETE ON `consultations` WHEN OLD.status = 'completed' AND OLD.deleted_at IS NULL BEGIN
  INSERT INTO report_diagnosis_days (day, code, consultations, diagnoses)
  SELECT v.date, CASE WHEN coalesce(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code')), '') = '' THEN '' ELSE upper(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code'))) END, -1, -1 * count(*)
  FROM visits v, json_each(CASE WHEN json_valid(OLD.note) THEN OLD.note END, '$.diagnoses') d
  WHERE d.type = 'object' AND v.id = OLD.visit_id AND OLD.status = 'completed' AND OLD.deleted_at IS NULL AND v.deleted_at IS NULL
  GROUP BY 2
  ON CONFLICT (day, code) DO UPDATE SET consultations = consultations + excluded.consultations, diagnoses = diagnoses + excluded.diagnoses;
  INSERT INTO report_diagnosis_title_days (day, code, title, diagnoses)
  SELECT v.date, upper(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code'))), json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.title'), -1 * count(*)
  FROM visits v, json_each(CASE WHEN json_valid(OLD.note) THEN OLD.note END, '$.diagnoses') d
  WHERE d.type = 'object' AND v.id = OLD.visit_id AND OLD.status = 'completed' AND OLD.deleted_at IS NULL AND v.deleted_at IS NULL AND NOT coalesce(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code')), '') = '' AND json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.title') IS NOT NULL
  GROUP BY 2, 3
  ON CONFLICT (day, code, title) DO UPDATE SET diagnoses = diagnoses + excluded.diagnoses;
END;
--> statement-breakpoint
CREATE TRIGGER `report_visits_insert` AFTER INSERT ON `visits` WHEN NEW.deleted_at IS NULL BEGIN
  INSERT INTO report_diagnosis_days (day, code, consultations, diagnoses)
  SELECT NEW.date, CASE WHEN coalesce(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code')), '') = '' THEN '' ELSE upper(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code'))) END, 1, 1 * count(*)
  FROM consultations c, json_each(CASE WHEN json_valid(c.note) THEN c.note END, '$.diagnoses') d
  WHERE d.type = 'object' AND c.visit_id = NEW.id AND c.status = 'completed' AND c.deleted_at IS NULL AND NEW.deleted_at IS NULL
  GROUP BY 2
  ON CONFLICT (day, code) DO UPDATE SET consultations = consultations + excluded.consultations, diagnoses = diagnoses + excluded.diagnoses;
  INSERT INTO report_diagnosis_title_days (day, code, title, diagnoses)
  SELECT NEW.date, upper(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code'))), json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.title'), 1 * count(*)
  FROM consultations c, json_each(CASE WHEN json_valid(c.note) THEN c.note END, '$.diagnoses') d
  WHERE d.type = 'object' AND c.visit_id = NEW.id AND c.status = 'completed' AND c.deleted_at IS NULL AND NEW.deleted_at IS NULL AND NOT coalesce(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code')), '') = '' AND json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.title') IS NOT NULL
  GROUP BY 2, 3
  ON CONFLICT (day, code, title) DO UPDATE SET diagnoses = diagnoses + excluded.diagnoses;
END;
--> statement-breakpoint
CREATE TRIGGER `report_visits_update` AFTER UPDATE OF `id`, `date`, `deleted_at` ON `visits` WHEN OLD.id IS NOT NEW.id OR OLD.date IS NOT NEW.date OR OLD.deleted_at IS NOT NEW.deleted_at BEGIN
  INSERT INTO report_diagnosis_days (day, code, consultations, diagnoses)
  SELECT OLD.date, CASE WHEN coalesce(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code')), '') = '' THEN '' ELSE upper(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code'))) END, -1, -1 * count(*)
  FROM consultations c, json_each(CASE WHEN json_valid(c.note) THEN c.note END, '$.diagnoses') d
  WHERE d.type = 'object' AND c.visit_id = OLD.id AND c.status = 'completed' AND c.deleted_at IS NULL AND OLD.deleted_at IS NULL
  GROUP BY 2
  ON CONFLICT (day, code) DO UPDATE SET consultations = consultations + excluded.consultations, diagnoses = diagnoses + excluded.diagnoses;
  INSERT INTO report_diagnosis_title_days (day, code, title, diagnoses)
  SELECT OLD.date, upper(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code'))), json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.title'), -1 * count(*)
  FROM consultations c, json_each(CASE WHEN json_valid(c.note) THEN c.note END, '$.diagnoses') d
  WHERE d.type = 'object' AND c.visit_id = OLD.id AND c.status = 'completed' AND c.deleted_at IS NULL AND OLD.deleted_at IS NULL AND NOT coalesce(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code')), '') = '' AND json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.title') IS NOT NULL
  GROUP BY 2, 3
  ON CONFLICT (day, code, title) DO UPDATE SET diagnoses = diagnoses + excluded.diagnoses;
  INSERT INTO report_diagnosis_days (day, code, consultations, diagnoses)
  SELECT NEW.date, CASE WHEN coalesce(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code')), '') = '' THEN '' ELSE upper(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code'))) END, 1, 1 * count(*)
  FROM consultations c, json_each(CASE WHEN json_valid(c.note) THEN c.note END, '$.diagnoses') d
  WHERE d.type = 'object' AND c.visit_id = NEW.id AND c.status = 'completed' AND c.deleted_at IS NULL AND NEW.deleted_at IS NULL
  GROUP BY 2
  ON CONFLICT (day, code) DO UPDATE SET consultations = consultations + excluded.consultations, diagnoses = diagnoses + excluded.diagnoses;
  INSERT INTO report_diagnosis_title_days (day, code, title, diagnoses)
  SELECT NEW.date, upper(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code'))), json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.title'), 1 * count(*)
  FROM consultations c, json_each(CASE WHEN json_valid(c.note) THEN c.note END, '$.diagnoses') d
  WHERE d.type = 'object' AND c.visit_id = NEW.id AND c.status = 'completed' AND c.deleted_at IS NULL AND NEW.deleted_at IS NULL AND NOT coalesce(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code')), '') = '' AND json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.title') IS NOT NULL
  GROUP BY 2, 3
  ON CONFLICT (day, code, title) DO UPDATE SET diagnoses = diagnoses + excluded.diagnoses;
END;
--> statement-breakpoint
CREATE TRIGGER `report_visits_delete` AFTER DELETE ON `visits` WHEN OLD.deleted_at IS NULL BEGIN
  INSERT INTO report_diagnosis_days (day, code, consultations, diagnoses)
  SELECT OLD.date, CASE WHEN coalesce(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code')), '') = '' THEN '' ELSE upper(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code'))) END, -1, -1 * count(*)
  FROM consultations c, json_each(CASE WHEN json_valid(c.note) THEN c.note END, '$.diagnoses') d
  WHERE d.type = 'object' AND c.visit_id = OLD.id AND c.status = 'completed' AND c.deleted_at IS NULL AND OLD.deleted_at IS NULL
  GROUP BY 2
  ON CONFLICT (day, code) DO UPDATE SET consultations = consultations + excluded.consultations, diagnoses = diagnoses + excluded.diagnoses;
  INSERT INTO report_diagnosis_title_days (day, code, title, diagnoses)
  SELECT OLD.date, upper(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code'))), json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.title'), -1 * count(*)
  FROM consultations c, json_each(CASE WHEN json_valid(c.note) THEN c.note END, '$.diagnoses') d
  WHERE d.type = 'object' AND c.visit_id = OLD.id AND c.status = 'completed' AND c.deleted_at IS NULL AND OLD.deleted_at IS NULL AND NOT coalesce(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code')), '') = '' AND json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.title') IS NOT NULL
  GROUP BY 2, 3
  ON CONFLICT (day, code, title) DO UPDATE SET diagnoses = diagnoses + excluded.diagnoses;
END;
--> statement-breakpoint
-- What is already there, summed the same way.
INSERT INTO report_billed_days (day, doctor_id, no_doctor, invoices, total_paise, round_off_paise, line_discount_paise, bill_discount_paise, discounted)
SELECT issued_on, coalesce(doctor_id, ''), doctor_id IS NULL, count(*),
       coalesce(sum(json_extract(j, '$.totalPaise')), 0), coalesce(sum(json_extract(j, '$.roundOffPaise')), 0),
       coalesce(sum(json_extract(j, '$.lineDiscountPaise')), 0), coalesce(sum(json_extract(j, '$.invoiceDiscountPaise')), 0),
       coalesce(sum(json_extract(j, '$.lineDiscountPaise') + json_extract(j, '$.invoiceDiscountPaise') > 0), 0)
FROM (SELECT issued_on, doctor_id, CASE WHEN json_valid(totals) THEN totals END AS j FROM invoices
      WHERE status = 'issued' AND deleted_at IS NULL AND issued_on IS NOT NULL)
GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO report_billed_line_days (day, kind, lines, paise)
SELECT i.issued_on, coalesce(json_extract(CASE WHEN l.type = 'object' THEN l.value END, '$.kind'), ''), count(*), coalesce(sum(json_extract(CASE WHEN l.type = 'object' THEN l.value END, '$.totalPaise')), 0)
FROM invoices i, json_each(CASE WHEN json_valid(i.lines) THEN i.lines END) l
WHERE l.type = 'object' AND i.status = 'issued' AND i.deleted_at IS NULL AND i.issued_on IS NOT NULL
GROUP BY 1, 2;
--> statement-breakpoint
INSERT INTO report_diagnosis_days (day, code, consultations, diagnoses)
SELECT day, code, count(DISTINCT consultation), count(*) FROM (
  SELECT v.date AS day, c.id AS consultation, CASE WHEN coalesce(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code')), '') = '' THEN '' ELSE upper(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code'))) END AS code
  FROM visits v JOIN consultations c ON c.visit_id = v.id, json_each(CASE WHEN json_valid(c.note) THEN c.note END, '$.diagnoses') d
  WHERE d.type = 'object' AND v.deleted_at IS NULL AND c.status = 'completed' AND c.deleted_at IS NULL
)
GROUP BY 1, 2;
--> statement-breakpoint
INSERT INTO report_diagnosis_title_days (day, code, title, diagnoses)
SELECT v.date, upper(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code'))), json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.title'), count(*)
FROM visits v JOIN consultations c ON c.visit_id = v.id, json_each(CASE WHEN json_valid(c.note) THEN c.note END, '$.diagnoses') d
WHERE d.type = 'object' AND v.deleted_at IS NULL AND c.status = 'completed' AND c.deleted_at IS NULL AND NOT coalesce(trim(json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.code')), '') = '' AND json_extract(CASE WHEN d.type = 'object' THEN d.value END, '$.title') IS NOT NULL
GROUP BY 1, 2, 3;
