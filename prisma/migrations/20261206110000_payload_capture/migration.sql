-- Payload capture (issue 14, request explorer): opt-in per key or route; bodies kept PAYLOAD_RETENTION_DAYS, then
-- pruned by the router's retention job. The config triggers fire on any UPDATE of api_keys and routes, so the flags
-- reach every router like the rest of the configuration.

-- AlterTable
ALTER TABLE "api_keys" ADD COLUMN     "capture_payloads" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "routes" ADD COLUMN     "capture_payloads" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "request_payloads" (
    "request_id" TEXT NOT NULL,
    "request_body" TEXT NOT NULL,
    "request_truncated" BOOLEAN NOT NULL,
    "response_body" TEXT NOT NULL,
    "response_truncated" BOOLEAN NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "request_payloads_pkey" PRIMARY KEY ("request_id")
);

-- CreateIndex
CREATE INDEX "request_payloads_created_at_idx" ON "request_payloads"("created_at");

-- The key's flag is configuration: an UPDATE of it must reload every router (the column list is the trigger's).
DROP TRIGGER "api_keys_notify_config_update" ON "api_keys";
CREATE TRIGGER "api_keys_notify_config_update"
BEFORE UPDATE OF "id", "name", "digest", "prefix", "team_id", "owner_id", "environment", "tags", "allowed_models",
  "expires_at", "revoked_at", "created_at", "default_traffic_class", "allowed_traffic_classes",
  "rpm_limit", "tpm_limit", "capture_payloads" ON "api_keys"
FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_config_change"();
