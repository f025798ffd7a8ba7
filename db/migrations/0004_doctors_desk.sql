CREATE TABLE `consultation_amendments` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`consultation_id` text NOT NULL,
	`author_id` text NOT NULL,
	`reason` text NOT NULL,
	`changes` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `consultation_amendments_idx` ON `consultation_amendments` (`consultation_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `consultation_templates` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`doctor_id` text NOT NULL,
	`name` text NOT NULL,
	`note` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `consultation_templates_doctor_idx` ON `consultation_templates` (`doctor_id`,`name`);--> statement-breakpoint
CREATE TABLE `consultations` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`visit_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`doctor_id` text NOT NULL,
	`status` text NOT NULL,
	`note` text NOT NULL,
	`bmi` real,
	`completed_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `consultations_visit_uq` ON `consultations` (`visit_id`);--> statement-breakpoint
CREATE INDEX `consultations_patient_idx` ON `consultations` (`patient_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `lab_orders` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`visit_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`test_id` text NOT NULL,
	`ordered_by` text NOT NULL,
	`status` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `lab_orders_visit_idx` ON `lab_orders` (`visit_id`);--> statement-breakpoint
CREATE INDEX `lab_orders_patient_idx` ON `lab_orders` (`patient_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `lab_results` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`order_id` text NOT NULL,
	`patient_id` text NOT NULL,
	`value` text NOT NULL,
	`unit` text,
	`reference_range` text,
	`abnormal` integer DEFAULT false NOT NULL,
	`resulted_by` text NOT NULL,
	`resulted_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `lab_results_order_idx` ON `lab_results` (`order_id`);--> statement-breakpoint
CREATE INDEX `lab_results_patient_idx` ON `lab_results` (`patient_id`,`resulted_at`);--> statement-breakpoint
CREATE TABLE `icd10_codes` (
	`id` integer PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`title` text NOT NULL,
	`category` text NOT NULL,
	`chapter` integer NOT NULL,
	`billable` integer NOT NULL,
	`common` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `icd10_codes_code_unique` ON `icd10_codes` (`code`);--> statement-breakpoint
CREATE TABLE `lab_tests` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`specimen` text,
	`unit` text,
	`reference_range` text,
	`price_paise` integer DEFAULT 0 NOT NULL,
	`active` integer DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lab_tests_code_unique` ON `lab_tests` (`code`);