CREATE TABLE `lgd_districts` (
	`code` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`state_code` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `lgd_districts_state_idx` ON `lgd_districts` (`state_code`,`name`);--> statement-breakpoint
CREATE TABLE `lgd_states` (
	`code` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `lgd_subdistricts` (
	`code` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`district_code` integer NOT NULL,
	`state_code` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `lgd_subdistricts_district_idx` ON `lgd_subdistricts` (`district_code`,`name`);--> statement-breakpoint
CREATE TABLE `pincode_offices` (
	`id` integer PRIMARY KEY NOT NULL,
	`pincode` text NOT NULL,
	`office_name` text NOT NULL,
	`district` text,
	`state` text,
	`latitude` real,
	`longitude` real
);
--> statement-breakpoint
CREATE INDEX `pincode_offices_pincode_idx` ON `pincode_offices` (`pincode`);--> statement-breakpoint
CREATE TABLE `value_sets` (
	`set_name` text NOT NULL,
	`code` text NOT NULL,
	`label` text NOT NULL,
	`parent_code` text,
	`sort` integer DEFAULT 0 NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	PRIMARY KEY(`set_name`, `code`)
);
--> statement-breakpoint
CREATE INDEX `value_sets_parent_idx` ON `value_sets` (`set_name`,`parent_code`);--> statement-breakpoint
ALTER TABLE `doctor_profiles` ADD `registration_date` text;--> statement-breakpoint
ALTER TABLE `doctor_profiles` ADD `qualification_details` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `facility` ADD `registration` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `facility` ADD `letterhead` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `facility` ADD `registration_status` text DEFAULT 'draft' NOT NULL;--> statement-breakpoint
ALTER TABLE `facility` ADD `hfr_id` text;