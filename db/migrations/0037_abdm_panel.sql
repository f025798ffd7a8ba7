CREATE TABLE `abdm_consent_views` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`consent_id` text NOT NULL,
	`patient_id` text,
	`abha_address` text,
	`status` text NOT NULL,
	`purpose_code` text,
	`hiu_id` text,
	`hi_types` text NOT NULL,
	`care_contexts` text NOT NULL,
	`date_from` integer,
	`date_to` integer,
	`data_erase_at` integer,
	`granted_at` integer,
	`status_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `abdm_consent_views_patient_idx` ON `abdm_consent_views` (`patient_id`);--> statement-breakpoint
CREATE INDEX `abdm_consent_views_abha_idx` ON `abdm_consent_views` (`abha_address`);--> statement-breakpoint
CREATE TABLE `abdm_link_views` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`reference` text NOT NULL,
	`patient_id` text NOT NULL,
	`abha_address` text,
	`via` text NOT NULL,
	`state` text NOT NULL,
	`last_error` text,
	`linked_at` integer
);
--> statement-breakpoint
CREATE INDEX `abdm_link_views_patient_idx` ON `abdm_link_views` (`patient_id`);--> statement-breakpoint
CREATE TABLE `abdm_transfer_views` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`consent_id` text NOT NULL,
	`transaction_id` text NOT NULL,
	`patient_id` text,
	`hiu_id` text,
	`care_contexts` text NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `abdm_transfer_views_patient_idx` ON `abdm_transfer_views` (`patient_id`);