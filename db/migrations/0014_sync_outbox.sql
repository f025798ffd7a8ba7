ALTER TABLE `change_log` ADD `rejected_at` integer;--> statement-breakpoint
ALTER TABLE `change_log` ADD `rejected_reason` text;--> statement-breakpoint
CREATE INDEX `change_log_pending_idx` ON `change_log` (`pushed_at`,`seq`);--> statement-breakpoint
CREATE INDEX `change_log_row_idx` ON `change_log` (`table_name`,`row_id`);