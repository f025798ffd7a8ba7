CREATE INDEX `dispenses_visit_idx` ON `dispenses` (`visit_id`);--> statement-breakpoint
CREATE INDEX `dispenses_patient_idx` ON `dispenses` (`patient_id`);--> statement-breakpoint
CREATE INDEX `h1_register_line_idx` ON `h1_register` (`dispense_line_id`);