-- Payments and refunds are ledgers: rows are added, never changed or removed. Balances are computed.
CREATE TRIGGER `payments_no_update` BEFORE UPDATE ON `payments` BEGIN SELECT RAISE(ABORT, 'payments are insert-only'); END;
--> statement-breakpoint
CREATE TRIGGER `payments_no_delete` BEFORE DELETE ON `payments` BEGIN SELECT RAISE(ABORT, 'payments are insert-only'); END;
--> statement-breakpoint
CREATE TRIGGER `refunds_no_update` BEFORE UPDATE ON `refunds` BEGIN SELECT RAISE(ABORT, 'refunds are insert-only'); END;
--> statement-breakpoint
CREATE TRIGGER `refunds_no_delete` BEFORE DELETE ON `refunds` BEGIN SELECT RAISE(ABORT, 'refunds are insert-only'); END;
