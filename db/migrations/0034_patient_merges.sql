CREATE TABLE `patient_merges` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`survivor_id` text NOT NULL,
	`merged_id` text NOT NULL,
	`merged_mrn` text NOT NULL,
	`moved` text NOT NULL,
	`field_choices` text NOT NULL,
	`previous_values` text NOT NULL,
	`merged_by` text NOT NULL,
	`merged_at` integer NOT NULL,
	`undone_at` integer,
	`undone_by` text
);
--> statement-breakpoint
CREATE INDEX `patient_merges_merged_idx` ON `patient_merges` (`merged_id`);--> statement-breakpoint
CREATE INDEX `patient_merges_survivor_idx` ON `patient_merges` (`survivor_id`);