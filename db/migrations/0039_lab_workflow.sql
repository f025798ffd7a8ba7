ALTER TABLE `lab_orders` ADD `sample_id` text;--> statement-breakpoint
ALTER TABLE `lab_orders` ADD `sample_collected_by` text;--> statement-breakpoint
ALTER TABLE `lab_orders` ADD `sample_collected_at` integer;--> statement-breakpoint
ALTER TABLE `lab_orders` ADD `resulted_by` text;--> statement-breakpoint
ALTER TABLE `lab_orders` ADD `verified_by` text;--> statement-breakpoint
ALTER TABLE `lab_orders` ADD `verified_at` integer;--> statement-breakpoint
ALTER TABLE `lab_orders` ADD `cancelled_by` text;--> statement-breakpoint
ALTER TABLE `lab_orders` ADD `cancelled_at` integer;--> statement-breakpoint
ALTER TABLE `lab_orders` ADD `cancel_reason` text;--> statement-breakpoint
ALTER TABLE `lab_orders` ADD `report_printed_at` integer;--> statement-breakpoint
ALTER TABLE `lab_orders` ADD `report_print_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `lab_orders_sample_idx` ON `lab_orders` (`sample_id`);--> statement-breakpoint
ALTER TABLE `lab_results` ADD `flag` text;--> statement-breakpoint
ALTER TABLE `lab_results` ADD `critical` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `lab_results` ADD `amends` text;--> statement-breakpoint
ALTER TABLE `lab_results` ADD `amend_reason` text;--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000101', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'WBC', 'Total leucocyte count (TLC / WBC)', 'Blood (EDTA)', '×10³/µL', '4.0-11.0', 10000, 1) ON CONFLICT (code) DO NOTHING;
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000102', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'HDL', 'HDL cholesterol', 'Serum', 'mg/dL', '> 40', 15000, 1) ON CONFLICT (code) DO NOTHING;
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000103', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'LDL', 'LDL cholesterol', 'Serum', 'mg/dL', '< 100', 15000, 1) ON CONFLICT (code) DO NOTHING;
--> statement-breakpoint
INSERT INTO lab_tests (id, created_at, updated_at, hlc, device_id, deleted_at, code, name, specimen, unit, reference_range, price_paise, active) VALUES ('00000000-0000-7000-8000-000000000104', 0, 0, '000000000000000-0000-seed', 'seed', NULL, 'TG', 'Triglycerides', 'Serum', 'mg/dL', '< 150', 15000, 1) ON CONFLICT (code) DO NOTHING;
