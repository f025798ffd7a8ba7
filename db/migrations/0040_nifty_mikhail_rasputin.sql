DROP INDEX `lab_orders_sample_idx`;--> statement-breakpoint
ALTER TABLE `lab_orders` ADD `verified_result_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `lab_orders_sample_idx` ON `lab_orders` (`sample_id`);
