CREATE TABLE `set_aside_rows` (
	`id` text PRIMARY KEY NOT NULL,
	`table_name` text NOT NULL,
	`row_id` text NOT NULL,
	`data` text NOT NULL,
	`change_id` text NOT NULL,
	`key_name` text NOT NULL,
	`value` text NOT NULL,
	`held_by` text NOT NULL,
	`device_name` text,
	`reason` text NOT NULL,
	`set_aside_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `set_aside_rows_change_uq` ON `set_aside_rows` (`change_id`);