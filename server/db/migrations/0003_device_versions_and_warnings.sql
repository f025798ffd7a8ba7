ALTER TABLE "applied_changes" ADD COLUMN "warning" text;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "app_version" text;