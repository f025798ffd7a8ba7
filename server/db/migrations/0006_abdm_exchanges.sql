CREATE TABLE "abdm_exchanges" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"direction" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"request_id" text,
	"correlation_id" text,
	"attempt" integer DEFAULT 1 NOT NULL,
	"status" integer,
	"outcome" text NOT NULL,
	"redacted_body" text,
	"body_sha256" text,
	"error" text,
	"handled_key" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "abdm_exchanges_handled_key_unique" UNIQUE("handled_key")
);
--> statement-breakpoint
CREATE INDEX "abdm_exchanges_request_idx" ON "abdm_exchanges" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "abdm_exchanges_correlation_idx" ON "abdm_exchanges" USING btree ("correlation_id");