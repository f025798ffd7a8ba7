CREATE TABLE `invoice_issues` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`invoice_id` text NOT NULL,
	`invoice_number` text NOT NULL,
	`financial_year` text NOT NULL,
	`series` text NOT NULL,
	`issued_device_id` text,
	`issued_on` text NOT NULL,
	`issued_at` integer NOT NULL,
	`issued_by` text,
	`total_paise` integer NOT NULL,
	`totals` text
);
--> statement-breakpoint
CREATE INDEX `invoice_issues_invoice_idx` ON `invoice_issues` (`invoice_id`);--> statement-breakpoint
CREATE INDEX `invoice_issues_day_idx` ON `invoice_issues` (`issued_on`,`series`);--> statement-breakpoint
CREATE INDEX `invoice_issues_number_idx` ON `invoice_issues` (`invoice_number`);--> statement-breakpoint
-- Issue events are a ledger: rows are added, never changed or removed.
CREATE TRIGGER `invoice_issues_no_update` BEFORE UPDATE ON `invoice_issues` BEGIN SELECT RAISE(ABORT, 'invoice_issues are insert-only'); END;
--> statement-breakpoint
CREATE TRIGGER `invoice_issues_no_delete` BEFORE DELETE ON `invoice_issues` BEGIN SELECT RAISE(ABORT, 'invoice_issues are insert-only'); END;
--> statement-breakpoint
-- Backfill: one issue row per invoice numbered before this migration, on every desk alike (same id,
-- seed stamp: never pushed, left out of checksums). The series is read from the number itself, so
-- invoices issued before 0015 (no issued_device_id) are still found by the day-end of their series.
INSERT INTO `invoice_issues` (`id`, `created_at`, `updated_at`, `hlc`, `device_id`, `deleted_at`, `invoice_id`, `invoice_number`, `financial_year`, `series`, `issued_device_id`, `issued_on`, `issued_at`, `issued_by`, `total_paise`, `totals`)
SELECT 'issue-' || `id`, coalesce(`issued_at`, `created_at`), coalesce(`issued_at`, `created_at`), '000000000000000-0000-seed', 'seed', NULL, `id`, `invoice_number`, coalesce(`financial_year`, ''),
  substr(`invoice_number`, 6, instr(substr(`invoice_number`, 6), '/') - 1), `issued_device_id`, coalesce(`issued_on`, ''), coalesce(`issued_at`, `created_at`), `issued_by`,
  coalesce(json_extract(`totals`, '$.totalPaise'), 0), `totals`
FROM `invoices` WHERE `invoice_number` IS NOT NULL AND `status` IN ('issued', 'void');
