CREATE TABLE "attachment_chunks" (
	"clinic_id" text NOT NULL,
	"sha256" text NOT NULL,
	"chunk_no" integer NOT NULL,
	"bytes" "bytea" NOT NULL,
	CONSTRAINT "attachment_chunks_clinic_id_sha256_chunk_no_pk" PRIMARY KEY("clinic_id","sha256","chunk_no")
);
