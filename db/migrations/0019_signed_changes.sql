ALTER TABLE `users` ADD `sign_public_key` text;--> statement-breakpoint
ALTER TABLE `users` ADD `sign_key_wrapped` text;--> statement-breakpoint
ALTER TABLE `change_log` ADD `sig` text;--> statement-breakpoint
ALTER TABLE `change_log` ADD `key_id` text;