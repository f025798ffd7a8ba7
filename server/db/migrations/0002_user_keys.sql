CREATE TABLE "user_keys" (
	"clinic_id" text NOT NULL,
	"user_id" text NOT NULL,
	"key_id" text NOT NULL,
	"public_key" text NOT NULL,
	"registered_at" timestamp with time zone NOT NULL,
	"retired_at" timestamp with time zone,
	CONSTRAINT "user_keys_clinic_id_user_id_key_id_pk" PRIMARY KEY("clinic_id","user_id","key_id")
);
