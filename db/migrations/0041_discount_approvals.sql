CREATE TABLE `discount_approvals` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`invoice_id` text NOT NULL,
	`approved_by` text NOT NULL,
	`discount_paise` integer NOT NULL,
	`gross_paise` integer NOT NULL,
	`approved_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `discount_approvals_invoice_idx` ON `discount_approvals` (`invoice_id`);--> statement-breakpoint
ALTER TABLE `invoices` ADD `discount_approval_id` text;