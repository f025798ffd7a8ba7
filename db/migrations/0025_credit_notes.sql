CREATE TABLE `credit_notes` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`kind` text NOT NULL,
	`number` text NOT NULL,
	`financial_year` text NOT NULL,
	`series` text NOT NULL,
	`issued_device_id` text NOT NULL,
	`issued_on` text NOT NULL,
	`issued_at` integer NOT NULL,
	`issued_by` text NOT NULL,
	`refund_id` text NOT NULL,
	`invoice_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`invoice_number` text NOT NULL,
	`invoice_date` text NOT NULL,
	`reason` text NOT NULL,
	`lines` text NOT NULL,
	`taxable_paise` integer NOT NULL,
	`cgst_paise` integer NOT NULL,
	`sgst_paise` integer NOT NULL,
	`round_off_paise` integer NOT NULL,
	`total_paise` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `credit_notes_invoice_idx` ON `credit_notes` (`invoice_id`);--> statement-breakpoint
CREATE INDEX `credit_notes_day_idx` ON `credit_notes` (`issued_on`,`issued_device_id`);--> statement-breakpoint
CREATE INDEX `credit_notes_number_idx` ON `credit_notes` (`number`);--> statement-breakpoint
ALTER TABLE `price_list` ADD `supply_kind` text;--> statement-breakpoint
ALTER TABLE `price_list` ADD `exemption_note` text;--> statement-breakpoint
ALTER TABLE `refunds` ADD `lines` text;--> statement-breakpoint
ALTER TABLE `refunds` ADD `credited_paise` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Credit notes and refund vouchers are a ledger: rows are added, never changed or removed.
CREATE TRIGGER `credit_notes_no_update` BEFORE UPDATE ON `credit_notes` BEGIN SELECT RAISE(ABORT, 'credit_notes are insert-only'); END;
--> statement-breakpoint
CREATE TRIGGER `credit_notes_no_delete` BEFORE DELETE ON `credit_notes` BEGIN SELECT RAISE(ABORT, 'credit_notes are insert-only'); END;
