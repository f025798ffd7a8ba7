CREATE TABLE `day_ends` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`date` text NOT NULL,
	`workstation_id` text NOT NULL,
	`opening_cash_paise` integer NOT NULL,
	`denominations` text NOT NULL,
	`counted_cash_paise` integer NOT NULL,
	`expected_cash_paise` integer NOT NULL,
	`difference_paise` integer NOT NULL,
	`summary` text NOT NULL,
	`closed_by` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `day_ends_day_uq` ON `day_ends` (`date`,`workstation_id`);--> statement-breakpoint
CREATE TABLE `invoices` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`invoice_number` text,
	`financial_year` text,
	`patient_id` text NOT NULL,
	`visit_id` text,
	`doctor_id` text,
	`status` text NOT NULL,
	`lines` text DEFAULT '[]' NOT NULL,
	`discount_kind` text,
	`discount_value` integer,
	`discount_reason` text,
	`discount_approved_by` text,
	`totals` text,
	`issued_at` integer,
	`issued_by` text,
	`issued_on` text,
	`void_reason` text,
	`voided_at` integer,
	`voided_by` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invoices_number_uq` ON `invoices` (`invoice_number`);--> statement-breakpoint
CREATE INDEX `invoices_patient_idx` ON `invoices` (`patient_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `invoices_visit_idx` ON `invoices` (`visit_id`);--> statement-breakpoint
CREATE INDEX `invoices_day_idx` ON `invoices` (`issued_on`);--> statement-breakpoint
CREATE TABLE `payments` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`invoice_id` text,
	`patient_id` text NOT NULL,
	`mode` text NOT NULL,
	`amount_paise` integer NOT NULL,
	`reference` text,
	`received_by` text NOT NULL,
	`received_on` text NOT NULL,
	`receipt_number` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `payments_invoice_idx` ON `payments` (`invoice_id`);--> statement-breakpoint
CREATE INDEX `payments_day_idx` ON `payments` (`received_on`,`device_id`);--> statement-breakpoint
CREATE INDEX `payments_patient_idx` ON `payments` (`patient_id`);--> statement-breakpoint
CREATE TABLE `price_list` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`sac_hsn` text,
	`gst_rate_bp` integer DEFAULT 0 NOT NULL,
	`price_paise` integer NOT NULL,
	`tax_inclusive` integer DEFAULT false NOT NULL,
	`active` integer DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `price_list_code_uq` ON `price_list` (`code`);--> statement-breakpoint
CREATE TABLE `refunds` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`invoice_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`mode` text NOT NULL,
	`amount_paise` integer NOT NULL,
	`reason` text NOT NULL,
	`refunded_by` text NOT NULL,
	`refunded_on` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `refunds_invoice_idx` ON `refunds` (`invoice_id`);--> statement-breakpoint
CREATE INDEX `refunds_day_idx` ON `refunds` (`refunded_on`,`device_id`);