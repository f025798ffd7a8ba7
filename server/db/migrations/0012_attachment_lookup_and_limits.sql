ALTER TABLE "attachment_chunks" ADD COLUMN "device_id" text;--> statement-breakpoint
ALTER TABLE "attachment_chunks" ADD COLUMN "whole" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "attachment_chunks_in_flight_idx" ON "attachment_chunks" USING btree ("clinic_id","device_id") WHERE NOT "attachment_chunks"."whole";--> statement-breakpoint
CREATE INDEX "rows_attachment_sha256_idx" ON "rows" USING btree ("clinic_id",("data"->>'sha256')) WHERE "rows"."table_name" = 'attachments';