CREATE TABLE `attachment_blobs` (
	`sha256` text NOT NULL,
	`chunk_no` integer NOT NULL,
	`bytes` blob NOT NULL,
	PRIMARY KEY(`sha256`, `chunk_no`)
);
--> statement-breakpoint
CREATE TABLE `attachment_on_server` (
	`sha256` text PRIMARY KEY NOT NULL,
	`confirmed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `attachments` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`patient_id` text NOT NULL,
	`visit_id` text,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`document_date` text NOT NULL,
	`mime` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`chunk_count` integer NOT NULL,
	`chunk_hashes` text NOT NULL,
	`file_name` text,
	`made_by` text NOT NULL,
	`made_at` integer NOT NULL,
	`withdrawn_at` integer,
	`withdrawn_by` text,
	`withdraw_reason` text
);
--> statement-breakpoint
CREATE INDEX `attachments_patient_idx` ON `attachments` (`patient_id`,`document_date`);--> statement-breakpoint
CREATE INDEX `attachments_sha_idx` ON `attachments` (`sha256`);--> statement-breakpoint
CREATE INDEX `attachments_visit_idx` ON `attachments` (`visit_id`);