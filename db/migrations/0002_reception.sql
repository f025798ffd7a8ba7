CREATE TABLE `appointments` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`booking_ref` text NOT NULL,
	`patient_id` text NOT NULL,
	`doctor_id` text NOT NULL,
	`date` text NOT NULL,
	`start` text NOT NULL,
	`end` text NOT NULL,
	`mode` text NOT NULL,
	`priority` text NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	`rescheduled_from` text,
	`cancel_reason` text,
	`cancelled_by` text,
	`cancelled_at` integer,
	`booked_by` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `appointments_booking_ref_uq` ON `appointments` (`booking_ref`);--> statement-breakpoint
CREATE INDEX `appointments_doctor_day_idx` ON `appointments` (`doctor_id`,`date`,`start`);--> statement-breakpoint
CREATE INDEX `appointments_patient_idx` ON `appointments` (`patient_id`,`date`);--> statement-breakpoint
CREATE TABLE `number_series` (
	`name` text PRIMARY KEY NOT NULL,
	`last` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `visits` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`patient_id` text NOT NULL,
	`doctor_id` text NOT NULL,
	`date` text NOT NULL,
	`token_no` integer NOT NULL,
	`token_label` text NOT NULL,
	`appointment_id` text,
	`priority` text NOT NULL,
	`status` text NOT NULL,
	`checked_in_at` integer NOT NULL,
	`called_at` integer,
	`finished_at` integer,
	`follow_up_date` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `visits_token_uq` ON `visits` (`doctor_id`,`date`,`token_label`);--> statement-breakpoint
CREATE INDEX `visits_day_idx` ON `visits` (`date`,`doctor_id`,`status`);--> statement-breakpoint
CREATE INDEX `visits_patient_idx` ON `visits` (`patient_id`,`date`);--> statement-breakpoint
CREATE INDEX `visits_follow_up_idx` ON `visits` (`follow_up_date`);--> statement-breakpoint
CREATE TABLE `doctor_leaves` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`doctor_id` text NOT NULL,
	`from_date` text NOT NULL,
	`to_date` text NOT NULL,
	`reason` text
);
--> statement-breakpoint
CREATE INDEX `doctor_leaves_doctor_idx` ON `doctor_leaves` (`doctor_id`,`from_date`);--> statement-breakpoint
CREATE TABLE `doctor_profiles` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`user_id` text NOT NULL,
	`specialization` text NOT NULL,
	`qualifications` text NOT NULL,
	`registration_council` text NOT NULL,
	`registration_number` text NOT NULL,
	`hpr_id` text,
	`hpr_address` text,
	`consultation_fee_paise` integer NOT NULL,
	`follow_up_fee_paise` integer NOT NULL,
	`follow_up_window_days` integer NOT NULL,
	`languages` text DEFAULT '[]' NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `doctor_profiles_user_uq` ON `doctor_profiles` (`user_id`);--> statement-breakpoint
CREATE TABLE `doctor_schedules` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`doctor_id` text NOT NULL,
	`weekday` integer NOT NULL,
	`start` text NOT NULL,
	`end` text NOT NULL,
	`slot_minutes` integer NOT NULL,
	`max_per_slot` integer NOT NULL,
	`mode` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `doctor_schedules_doctor_idx` ON `doctor_schedules` (`doctor_id`,`weekday`);--> statement-breakpoint
CREATE TABLE `patient_search` (
	`rank` integer PRIMARY KEY NOT NULL,
	`patient_id` text NOT NULL,
	`mobile_rev` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `patient_search_patient_uq` ON `patient_search` (`patient_id`);--> statement-breakpoint
CREATE INDEX `patient_search_mobile_rev_idx` ON `patient_search` (`mobile_rev`);--> statement-breakpoint
CREATE TABLE `patients` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`mrn` text NOT NULL,
	`given_name` text NOT NULL,
	`family_name` text,
	`gender` text NOT NULL,
	`dob` text NOT NULL,
	`dob_estimated` integer DEFAULT false NOT NULL,
	`mobile` text,
	`alternate_phone` text,
	`email` text,
	`address_line1` text,
	`address_line2` text,
	`city` text,
	`district` text,
	`state` text,
	`pincode` text,
	`blood_group` text,
	`allergies` text DEFAULT '[]' NOT NULL,
	`chronic_conditions` text DEFAULT '[]' NOT NULL,
	`current_medications` text DEFAULT '[]' NOT NULL,
	`emergency_contact` text,
	`insurance` text,
	`marital_status` text,
	`occupation` text,
	`consent` integer DEFAULT false NOT NULL,
	`consent_date` text,
	`abha_number` text,
	`abha_address` text,
	`duplicate_override` text,
	`merged_into` text,
	`last_visit_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `patients_mrn_uq` ON `patients` (`mrn`);--> statement-breakpoint
CREATE INDEX `patients_mobile_idx` ON `patients` (`mobile`);--> statement-breakpoint
CREATE INDEX `patients_abha_number_idx` ON `patients` (`abha_number`);--> statement-breakpoint
CREATE INDEX `patients_abha_address_idx` ON `patients` (`abha_address`);--> statement-breakpoint
CREATE INDEX `patients_dob_idx` ON `patients` (`dob`);