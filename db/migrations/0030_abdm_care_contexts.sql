CREATE TABLE `abdm_care_contexts` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`patient_id` text NOT NULL,
	`visit_id` text NOT NULL,
	`doctor_id` text NOT NULL,
	`reference` text NOT NULL,
	`display` text NOT NULL,
	`hi_types` text NOT NULL,
	`bundles` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `abdm_care_contexts_visit_uq` ON `abdm_care_contexts` (`visit_id`);--> statement-breakpoint
CREATE INDEX `abdm_care_contexts_patient_idx` ON `abdm_care_contexts` (`patient_id`);