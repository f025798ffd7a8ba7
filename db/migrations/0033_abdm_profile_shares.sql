CREATE TABLE `abdm_profile_shares` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`request_id` text NOT NULL,
	`abha_number` text,
	`abha_address` text NOT NULL,
	`name` text NOT NULL,
	`gender` text NOT NULL,
	`day_of_birth` integer,
	`month_of_birth` integer,
	`year_of_birth` integer NOT NULL,
	`mobile` text,
	`address_line` text,
	`district` text,
	`state` text,
	`pincode` text,
	`counter_id` text NOT NULL,
	`token_date` text NOT NULL,
	`token_no` integer NOT NULL,
	`token` text NOT NULL,
	`shared_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`status` text NOT NULL,
	`patient_id` text,
	`visit_id` text
);
--> statement-breakpoint
CREATE INDEX `abdm_profile_shares_day_idx` ON `abdm_profile_shares` (`token_date`,`token_no`);--> statement-breakpoint
CREATE INDEX `abdm_profile_shares_abha_idx` ON `abdm_profile_shares` (`abha_address`);