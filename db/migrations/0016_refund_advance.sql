-- A refund of a patient's unused advance has no invoice: invoice_id becomes nullable (SQLite
-- needs the table rebuilt for that), and refunds get an index by patient for the advance balance.
-- Dropping the old table dropped its insert-only triggers (0013); they are made again below.
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_refunds` (
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
	`reason` text NOT NULL,
	`refunded_by` text NOT NULL,
	`refunded_on` text NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_refunds`("id", "created_at", "updated_at", "hlc", "device_id", "deleted_at", "invoice_id", "patient_id", "mode", "amount_paise", "reason", "refunded_by", "refunded_on") SELECT "id", "created_at", "updated_at", "hlc", "device_id", "deleted_at", "invoice_id", "patient_id", "mode", "amount_paise", "reason", "refunded_by", "refunded_on" FROM `refunds`;--> statement-breakpoint
DROP TABLE `refunds`;--> statement-breakpoint
ALTER TABLE `__new_refunds` RENAME TO `refunds`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `refunds_invoice_idx` ON `refunds` (`invoice_id`);--> statement-breakpoint
CREATE INDEX `refunds_day_idx` ON `refunds` (`refunded_on`,`device_id`);--> statement-breakpoint
CREATE INDEX `refunds_patient_idx` ON `refunds` (`patient_id`);--> statement-breakpoint
CREATE TRIGGER `refunds_no_update` BEFORE UPDATE ON `refunds` BEGIN SELECT RAISE(ABORT, 'refunds are insert-only'); END;
--> statement-breakpoint
CREATE TRIGGER `refunds_no_delete` BEFORE DELETE ON `refunds` BEGIN SELECT RAISE(ABORT, 'refunds are insert-only'); END;
