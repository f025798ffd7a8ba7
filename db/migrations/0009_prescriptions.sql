CREATE TABLE `drugs` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`generic_name` text NOT NULL,
	`brand_names` text DEFAULT '[]' NOT NULL,
	`form` text NOT NULL,
	`strength` text,
	`route` text NOT NULL,
	`default_dose` text,
	`default_frequency` text,
	`default_duration_days` integer,
	`schedule` text,
	`classes` text DEFAULT '[]' NOT NULL,
	`source` text NOT NULL,
	`source_code` text,
	`mrp_paise` integer,
	`hsn_code` text,
	`gst_rate_bp` integer,
	`active` integer DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `drugs_source_code_uq` ON `drugs` (`source`,`source_code`);--> statement-breakpoint
CREATE INDEX `drugs_generic_idx` ON `drugs` (`generic_name`);--> statement-breakpoint
CREATE TABLE `prescription_favourites` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`doctor_id` text NOT NULL,
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`name` text NOT NULL,
	`items` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `prescription_favourites_doctor_idx` ON `prescription_favourites` (`doctor_id`,`kind`,`key`);--> statement-breakpoint
CREATE TABLE `prescriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`visit_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`doctor_id` text NOT NULL,
	`rx_number` text NOT NULL,
	`status` text NOT NULL,
	`items` text DEFAULT '[]' NOT NULL,
	`advice` text,
	`advice_hi` text,
	`diet` text,
	`investigations` text,
	`follow_up_date` text,
	`printed_at` integer,
	`print_count` integer DEFAULT 0 NOT NULL,
	`content_hash` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `prescriptions_visit_uq` ON `prescriptions` (`visit_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `prescriptions_rx_uq` ON `prescriptions` (`rx_number`);--> statement-breakpoint
CREATE INDEX `prescriptions_patient_idx` ON `prescriptions` (`patient_id`,`created_at`);