ALTER TABLE `sessions` ADD `password_stamp` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `must_change_password` integer DEFAULT false NOT NULL;