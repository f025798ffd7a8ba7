CREATE TABLE "applied_changes" (
	"change_id" text PRIMARY KEY NOT NULL,
	"clinic_id" text NOT NULL,
	"device_id" text NOT NULL,
	"table_name" text NOT NULL,
	"row_id" text NOT NULL,
	"status" text NOT NULL,
	"reason" text,
	"hlc" text NOT NULL,
	"restamped" boolean DEFAULT false NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "clinics" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"id" text PRIMARY KEY NOT NULL,
	"clinic_id" text NOT NULL,
	"name" text NOT NULL,
	"credential_hash" text NOT NULL,
	"series_prefix" text NOT NULL,
	"enrolled_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "enrolment_codes" (
	"code_hash" text PRIMARY KEY NOT NULL,
	"clinic_id" text NOT NULL,
	"device_name" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_by_device" text
);
--> statement-breakpoint
CREATE TABLE "rows" (
	"clinic_id" text NOT NULL,
	"table_name" text NOT NULL,
	"row_id" text NOT NULL,
	"data" jsonb NOT NULL,
	"field_hlc" jsonb NOT NULL,
	"hlc" text NOT NULL,
	"seq" bigint NOT NULL,
	CONSTRAINT "rows_clinic_id_table_name_row_id_pk" PRIMARY KEY("clinic_id","table_name","row_id")
);
--> statement-breakpoint
CREATE TABLE "slot_holds" (
	"clinic_id" text NOT NULL,
	"slot_key" text NOT NULL,
	"appointment_id" text NOT NULL,
	"held_seq" bigserial NOT NULL,
	CONSTRAINT "slot_holds_clinic_id_appointment_id_pk" PRIMARY KEY("clinic_id","appointment_id")
);
--> statement-breakpoint
CREATE INDEX "applied_changes_clinic_idx" ON "applied_changes" USING btree ("clinic_id","received_at");--> statement-breakpoint
CREATE INDEX "devices_clinic_idx" ON "devices" USING btree ("clinic_id");--> statement-breakpoint
CREATE INDEX "rows_clinic_seq_idx" ON "rows" USING btree ("clinic_id","seq");--> statement-breakpoint
CREATE INDEX "slot_holds_key_idx" ON "slot_holds" USING btree ("clinic_id","slot_key");