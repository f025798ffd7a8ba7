ALTER TABLE `patients` ADD `abha_verified_at` integer;--> statement-breakpoint
ALTER TABLE `patients` ADD `abha_verified_by` text;--> statement-breakpoint
ALTER TABLE `patients` ADD `abha_verify_method` text;