ALTER TABLE `invoices` ADD `issued_device_id` text;--> statement-breakpoint
ALTER TABLE `drugs` ADD `pack_size` text;