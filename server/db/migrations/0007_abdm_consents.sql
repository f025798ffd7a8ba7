CREATE TABLE "abdm_consents" (
	"consent_id" text PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"patient_abha_address" text,
	"hip_id" text,
	"hiu_id" text,
	"purpose_code" text,
	"hi_types" jsonb NOT NULL,
	"care_contexts" jsonb NOT NULL,
	"access_mode" text,
	"date_from" timestamp with time zone,
	"date_to" timestamp with time zone,
	"data_erase_at" timestamp with time zone,
	"frequency" jsonb,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
