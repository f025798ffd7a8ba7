CREATE TABLE `device_revocations` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`revoked_device_id` text NOT NULL,
	`reason` text NOT NULL,
	`revoked_by` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `change_log` ADD `warning` text;--> statement-breakpoint
-- A revocation is a ledger row: added, never changed or removed.
CREATE TRIGGER `device_revocations_no_update` BEFORE UPDATE ON `device_revocations` BEGIN SELECT RAISE(ABORT, 'device revocations are insert-only'); END;
--> statement-breakpoint
CREATE TRIGGER `device_revocations_no_delete` BEFORE DELETE ON `device_revocations` BEGIN SELECT RAISE(ABORT, 'device revocations are insert-only'); END;
--> statement-breakpoint
-- The few changes the server flagged, listed on the Sync screen without reading the whole log.
CREATE INDEX `change_log_warning_idx` ON `change_log` (`seq`) WHERE `warning` IS NOT NULL;
