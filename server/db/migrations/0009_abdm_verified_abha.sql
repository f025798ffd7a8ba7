CREATE TABLE "abdm_consent_uses" (
	"transaction_id" text PRIMARY KEY NOT NULL,
	"consent_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "abdm_verified_abha" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"clinic_id" text NOT NULL,
	"patient_id" text,
	"abha_number" text,
	"abha_address" text,
	"verified_at" timestamp with time zone NOT NULL,
	"verified_by" text,
	"device_id" text,
	"method" text NOT NULL,
	"share_id" text,
	"bound_at" timestamp with time zone,
	CONSTRAINT "abdm_verified_abha_share_id_unique" UNIQUE("share_id")
);
--> statement-breakpoint
CREATE INDEX "abdm_consent_uses_consent_idx" ON "abdm_consent_uses" USING btree ("consent_id","at");--> statement-breakpoint
CREATE INDEX "abdm_verified_abha_patient_idx" ON "abdm_verified_abha" USING btree ("clinic_id","patient_id");