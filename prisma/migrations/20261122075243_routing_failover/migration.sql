-- CreateEnum
CREATE TYPE "TrafficClass" AS ENUM ('interactive', 'background', 'evaluation', 'media', 'agent');

-- AlterTable
ALTER TABLE "api_keys" ADD COLUMN     "allowed_traffic_classes" "TrafficClass"[] DEFAULT ARRAY[]::"TrafficClass"[],
ADD COLUMN     "default_traffic_class" "TrafficClass" NOT NULL DEFAULT 'interactive';

-- AlterTable
ALTER TABLE "routes" ADD COLUMN     "backup_models" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "policies" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "upstream_accounts" ADD COLUMN     "credential_error" TEXT,
ADD COLUMN     "credential_rejected_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "target_health" (
    "instance_id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "requests" INTEGER NOT NULL DEFAULT 0,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "failure_rate" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "opened_at" TIMESTAMPTZ(3),
    "next_probe_at" TIMESTAMPTZ(3),
    "cooling_until" TIMESTAMPTZ(3),
    "latency_p50_ms" INTEGER,
    "latency_p95_ms" INTEGER,
    "last_error_class" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "target_health_pkey" PRIMARY KEY ("instance_id","account_id","model")
);

-- CreateIndex
CREATE INDEX "target_health_updated_at_idx" ON "target_health"("updated_at");

-- api_keys' config trigger lists its columns (last_used_at is left out on purpose); add the new ones.
DROP TRIGGER "api_keys_notify_config_update" ON "api_keys";
CREATE TRIGGER "api_keys_notify_config_update"
AFTER UPDATE OF "id", "name", "digest", "prefix", "team_id", "owner_id", "environment", "tags", "allowed_models",
  "expires_at", "revoked_at", "created_at", "default_traffic_class", "allowed_traffic_classes" ON "api_keys"
FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_config_change"();
