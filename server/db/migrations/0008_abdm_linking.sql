CREATE TABLE "abdm_care_context_links" (
	"clinic_id" text NOT NULL,
	"reference" text NOT NULL,
	"patient_id" text NOT NULL,
	"abha_address" text NOT NULL,
	"via" text NOT NULL,
	"state" text NOT NULL,
	"request_id" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"next_attempt_at" timestamp with time zone,
	"linked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "abdm_care_context_links_clinic_id_reference_pk" PRIMARY KEY("clinic_id","reference")
);
--> statement-breakpoint
CREATE TABLE "abdm_link_requests" (
	"transaction_id" text PRIMARY KEY NOT NULL,
	"clinic_id" text NOT NULL,
	"patient_id" text NOT NULL,
	"abha_address" text NOT NULL,
	"state" text NOT NULL,
	"link_ref_number" text,
	"care_contexts" jsonb,
	"otp_hash" text,
	"otp_expires_at" timestamp with time zone,
	"wrong_tries" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "abdm_link_requests_link_ref_number_unique" UNIQUE("link_ref_number")
);
--> statement-breakpoint
CREATE TABLE "abdm_link_tokens" (
	"clinic_id" text NOT NULL,
	"abha_address" text NOT NULL,
	"link_token" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "abdm_link_tokens_clinic_id_abha_address_pk" PRIMARY KEY("clinic_id","abha_address")
);
--> statement-breakpoint
CREATE INDEX "abdm_care_context_links_state_idx" ON "abdm_care_context_links" USING btree ("state","next_attempt_at");--> statement-breakpoint
CREATE INDEX "abdm_care_context_links_request_idx" ON "abdm_care_context_links" USING btree ("request_id");