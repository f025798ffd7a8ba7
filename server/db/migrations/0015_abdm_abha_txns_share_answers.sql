CREATE TABLE "abdm_abha_txns" (
	"txn_ref" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"clinic_id" text NOT NULL,
	"user_id" text NOT NULL,
	"device_id" text NOT NULL,
	"stage" text NOT NULL,
	"tries" integer DEFAULT 0 NOT NULL,
	"sealed" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "abdm_share_answers" (
	"request_id" text PRIMARY KEY NOT NULL,
	"clinic_id" text NOT NULL,
	"row_id" text NOT NULL,
	"token" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "abdm_abha_txns_expires_idx" ON "abdm_abha_txns" USING btree ("expires_at");