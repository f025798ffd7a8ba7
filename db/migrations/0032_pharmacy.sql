CREATE TABLE `dispense_lines` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`dispense_id` text NOT NULL,
	`prescription_id` text,
	`item_index` integer,
	`drug_id` text NOT NULL,
	`batch_id` text NOT NULL,
	`qty` integer NOT NULL,
	`substituted_from` text,
	`mrp_paise` integer NOT NULL,
	`pack_size` integer NOT NULL,
	`gst_rate_bp` integer NOT NULL,
	`hsn_code` text,
	`description` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `dispense_lines_dispense_idx` ON `dispense_lines` (`dispense_id`);--> statement-breakpoint
CREATE INDEX `dispense_lines_prescription_idx` ON `dispense_lines` (`prescription_id`,`item_index`);--> statement-breakpoint
CREATE TABLE `dispenses` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`kind` text NOT NULL,
	`patient_id` text,
	`visit_id` text,
	`prescription_id` text,
	`prescriber_id` text,
	`dispensed_by` text NOT NULL,
	`dispensed_on` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `dispenses_prescription_idx` ON `dispenses` (`prescription_id`);--> statement-breakpoint
CREATE INDEX `dispenses_day_idx` ON `dispenses` (`dispensed_on`);--> statement-breakpoint
CREATE TABLE `h1_register` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`dispense_line_id` text NOT NULL,
	`dispensed_on` text NOT NULL,
	`patient_name` text NOT NULL,
	`patient_address` text NOT NULL,
	`prescriber_name` text NOT NULL,
	`prescriber_registration` text,
	`drug_name` text NOT NULL,
	`batch_number` text NOT NULL,
	`qty` integer NOT NULL,
	`dispensed_by` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `h1_register_day_idx` ON `h1_register` (`dispensed_on`);--> statement-breakpoint
CREATE TABLE `pharmacy_items` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`drug_id` text NOT NULL,
	`reorder_level` integer DEFAULT 0 NOT NULL,
	`barcode` text
);
--> statement-breakpoint
CREATE INDEX `pharmacy_items_drug_idx` ON `pharmacy_items` (`drug_id`);--> statement-breakpoint
CREATE INDEX `pharmacy_items_barcode_idx` ON `pharmacy_items` (`barcode`);--> statement-breakpoint
CREATE TABLE `purchase_lines` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`purchase_id` text NOT NULL,
	`batch_id` text NOT NULL,
	`drug_id` text NOT NULL,
	`packs` integer NOT NULL,
	`free_packs` integer DEFAULT 0 NOT NULL,
	`rate_paise` integer NOT NULL,
	`discount_bp` integer DEFAULT 0 NOT NULL,
	`gst_rate_bp` integer NOT NULL,
	`gross_paise` integer NOT NULL,
	`discount_paise` integer NOT NULL,
	`taxable_paise` integer NOT NULL,
	`gst_paise` integer NOT NULL,
	`total_paise` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `purchase_lines_purchase_idx` ON `purchase_lines` (`purchase_id`);--> statement-breakpoint
CREATE TABLE `purchases` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`supplier_id` text NOT NULL,
	`supplier_invoice` text NOT NULL,
	`invoice_date` text NOT NULL,
	`received_on` text NOT NULL,
	`received_by` text NOT NULL,
	`gross_paise` integer NOT NULL,
	`discount_paise` integer NOT NULL,
	`taxable_paise` integer NOT NULL,
	`gst_paise` integer NOT NULL,
	`total_paise` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `purchases_day_idx` ON `purchases` (`received_on`);--> statement-breakpoint
CREATE INDEX `purchases_supplier_idx` ON `purchases` (`supplier_id`,`supplier_invoice`);--> statement-breakpoint
CREATE TABLE `stock_batches` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`drug_id` text NOT NULL,
	`batch_number` text NOT NULL,
	`expiry` text NOT NULL,
	`mrp_paise` integer NOT NULL,
	`purchase_rate_paise` integer NOT NULL,
	`gst_rate_bp` integer NOT NULL,
	`hsn_code` text,
	`pack_size` integer NOT NULL,
	`barcode` text
);
--> statement-breakpoint
CREATE INDEX `stock_batches_drug_expiry_idx` ON `stock_batches` (`drug_id`,`expiry`);--> statement-breakpoint
CREATE INDEX `stock_batches_number_idx` ON `stock_batches` (`drug_id`,`batch_number`);--> statement-breakpoint
CREATE INDEX `stock_batches_barcode_idx` ON `stock_batches` (`barcode`);--> statement-breakpoint
CREATE TABLE `stock_movements` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`batch_id` text NOT NULL,
	`drug_id` text NOT NULL,
	`kind` text NOT NULL,
	`qty` integer NOT NULL,
	`reason` text,
	`ref_table` text,
	`ref_id` text,
	`moved_at` integer NOT NULL,
	`moved_by` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `stock_movements_batch_idx` ON `stock_movements` (`batch_id`,`qty`);--> statement-breakpoint
CREATE INDEX `stock_movements_drug_idx` ON `stock_movements` (`drug_id`,`batch_id`,`qty`);--> statement-breakpoint
CREATE INDEX `stock_movements_ref_idx` ON `stock_movements` (`ref_id`);--> statement-breakpoint
CREATE TABLE `suppliers` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`hlc` text NOT NULL,
	`device_id` text NOT NULL,
	`deleted_at` integer,
	`name` text NOT NULL,
	`gstin` text,
	`drug_licences` text DEFAULT '[]' NOT NULL,
	`phone` text,
	`address` text,
	`active` integer DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE INDEX `suppliers_name_idx` ON `suppliers` (`name`);
--> statement-breakpoint
-- The stock ledger and the other pharmacy ledgers: rows are added, never changed or removed (corrections are new movements).
CREATE TRIGGER `stock_movements_no_update` BEFORE UPDATE ON `stock_movements` BEGIN SELECT RAISE(ABORT, 'stock_movements are insert-only'); END;
--> statement-breakpoint
CREATE TRIGGER `stock_movements_no_delete` BEFORE DELETE ON `stock_movements` BEGIN SELECT RAISE(ABORT, 'stock_movements are insert-only'); END;
--> statement-breakpoint
CREATE TRIGGER `purchases_no_update` BEFORE UPDATE ON `purchases` BEGIN SELECT RAISE(ABORT, 'purchases are insert-only'); END;
--> statement-breakpoint
CREATE TRIGGER `purchases_no_delete` BEFORE DELETE ON `purchases` BEGIN SELECT RAISE(ABORT, 'purchases are insert-only'); END;
--> statement-breakpoint
CREATE TRIGGER `purchase_lines_no_update` BEFORE UPDATE ON `purchase_lines` BEGIN SELECT RAISE(ABORT, 'purchase_lines are insert-only'); END;
--> statement-breakpoint
CREATE TRIGGER `purchase_lines_no_delete` BEFORE DELETE ON `purchase_lines` BEGIN SELECT RAISE(ABORT, 'purchase_lines are insert-only'); END;
--> statement-breakpoint
CREATE TRIGGER `dispenses_no_update` BEFORE UPDATE ON `dispenses` BEGIN SELECT RAISE(ABORT, 'dispenses are insert-only'); END;
--> statement-breakpoint
CREATE TRIGGER `dispenses_no_delete` BEFORE DELETE ON `dispenses` BEGIN SELECT RAISE(ABORT, 'dispenses are insert-only'); END;
--> statement-breakpoint
CREATE TRIGGER `dispense_lines_no_update` BEFORE UPDATE ON `dispense_lines` BEGIN SELECT RAISE(ABORT, 'dispense_lines are insert-only'); END;
--> statement-breakpoint
CREATE TRIGGER `dispense_lines_no_delete` BEFORE DELETE ON `dispense_lines` BEGIN SELECT RAISE(ABORT, 'dispense_lines are insert-only'); END;
--> statement-breakpoint
CREATE TRIGGER `h1_register_no_update` BEFORE UPDATE ON `h1_register` BEGIN SELECT RAISE(ABORT, 'h1_register are insert-only'); END;
--> statement-breakpoint
CREATE TRIGGER `h1_register_no_delete` BEFORE DELETE ON `h1_register` BEGIN SELECT RAISE(ABORT, 'h1_register are insert-only'); END;
