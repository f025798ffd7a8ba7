ALTER TABLE "user_keys" ADD COLUMN "registered_by_device" text;--> statement-breakpoint
ALTER TABLE "user_keys" ADD COLUMN "first_use" boolean DEFAULT false NOT NULL;