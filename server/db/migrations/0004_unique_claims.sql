CREATE TABLE "unique_claims" (
	"clinic_id" text NOT NULL,
	"table_name" text NOT NULL,
	"key_name" text NOT NULL,
	"value" text NOT NULL,
	"row_id" text NOT NULL,
	CONSTRAINT "unique_claims_clinic_id_table_name_key_name_value_pk" PRIMARY KEY("clinic_id","table_name","key_name","value")
);
--> statement-breakpoint
ALTER TABLE "applied_changes" ADD COLUMN "conflict" jsonb;