CREATE TABLE `certificates` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`number` text NOT NULL,
	`kind` text NOT NULL,
	`patient_id` text NOT NULL,
	`visit_id` text NOT NULL,
	`doctor_id` text NOT NULL,
	`diagnosis` text NOT NULL,
	`rest_from` text,
	`rest_to` text,
	`fit_from` text,
	`purpose` text,
	`remarks` text,
	`language` text NOT NULL,
	`issued_at` integer NOT NULL,
	`issued_by` text NOT NULL,
	`voided_at` integer,
	`voided_by` text,
	`void_reason` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `certificates_number_uq` ON `certificates` (`number`);--> statement-breakpoint
CREATE INDEX `certificates_patient_idx` ON `certificates` (`patient_id`,`issued_at`);--> statement-breakpoint
CREATE INDEX `certificates_visit_idx` ON `certificates` (`visit_id`);