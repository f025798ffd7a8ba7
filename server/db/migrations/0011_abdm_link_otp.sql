CREATE TABLE "abdm_desk_request_ids" (
	"id" text PRIMARY KEY NOT NULL,
	"until" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "abdm_otp_sends" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"mobile_key" text NOT NULL,
	"transaction_id" text NOT NULL,
	"outcome" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "abdm_link_requests" ADD COLUMN "otp_mobile" text;--> statement-breakpoint
CREATE INDEX "abdm_otp_sends_mobile_idx" ON "abdm_otp_sends" USING btree ("mobile_key","at");