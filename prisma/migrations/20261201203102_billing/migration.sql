-- CreateEnum
CREATE TYPE "BudgetScope" AS ENUM ('key', 'team', 'global');

-- CreateEnum
CREATE TYPE "BudgetPeriod" AS ENUM ('daily', 'weekly', 'monthly', 'total');

-- CreateEnum
CREATE TYPE "BudgetMode" AS ENUM ('hard', 'soft');

-- CreateEnum
CREATE TYPE "MissingPricePolicy" AS ENUM ('block', 'allow');

-- DropForeignKey
ALTER TABLE "prices" DROP CONSTRAINT "prices_provider_id_fkey";

-- AlterTable
ALTER TABLE "api_keys" ADD COLUMN     "rpm_limit" INTEGER,
ADD COLUMN     "tpm_limit" INTEGER;

-- AlterTable
ALTER TABLE "prices" ADD COLUMN     "cache_write_micros_per_million" BIGINT,
ADD COLUMN     "images" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "long_context" JSONB,
ADD COLUMN     "max_output_tokens" INTEGER,
ADD COLUMN     "notes" TEXT,
ADD COLUMN     "reasoning_micros_per_million" BIGINT,
ADD COLUMN     "request_micros" BIGINT,
ADD COLUMN     "vendor" TEXT,
ADD COLUMN     "video_micros_per_second" BIGINT,
ALTER COLUMN "provider_id" DROP NOT NULL,
ALTER COLUMN "input_micros_per_million" DROP NOT NULL,
ALTER COLUMN "output_micros_per_million" DROP NOT NULL;

-- AlterTable
ALTER TABLE "routes" ADD COLUMN     "allow_costlier_fallback" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "missing_price_policy" "MissingPricePolicy" NOT NULL DEFAULT 'allow';

-- AlterTable
ALTER TABLE "teams" ADD COLUMN     "rpm_limit" INTEGER,
ADD COLUMN     "tpm_limit" INTEGER;

-- AlterTable
ALTER TABLE "usage_events" ADD COLUMN     "cache_write_tokens" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "cost_estimated" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "end_user" TEXT,
ADD COLUMN     "metadata" JSONB,
ADD COLUMN     "owner_id" TEXT,
ADD COLUMN     "reasoning_tokens" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "unpriced" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "budgets" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "scope" "BudgetScope" NOT NULL,
    "scope_id" TEXT,
    "period" "BudgetPeriod" NOT NULL,
    "mode" "BudgetMode" NOT NULL DEFAULT 'hard',
    "limit_micros" BIGINT NOT NULL,
    "alert_thresholds" INTEGER[] DEFAULT ARRAY[50, 80, 100]::INTEGER[],
    "time_zone" TEXT NOT NULL DEFAULT 'UTC',
    "webhook_url" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "budgets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "budget_alerts" (
    "id" TEXT NOT NULL,
    "budget_id" TEXT NOT NULL,
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "threshold" INTEGER NOT NULL,
    "spend_micros" BIGINT NOT NULL,
    "limit_micros" BIGINT NOT NULL,
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "budget_alerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "budget_usage" (
    "instance_id" TEXT NOT NULL,
    "budget_id" TEXT NOT NULL,
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "spent_micros" BIGINT NOT NULL,
    "reserved_micros" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "budget_usage_pkey" PRIMARY KEY ("instance_id","budget_id")
);

-- CreateTable
CREATE TABLE "usage_rollups_hourly" (
    "bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "key_id" TEXT NOT NULL DEFAULT '',
    "team_id" TEXT NOT NULL DEFAULT '',
    "model" TEXT NOT NULL,
    "provider_id" TEXT NOT NULL DEFAULT '',
    "status" "UsageStatus" NOT NULL,
    "environment" TEXT NOT NULL DEFAULT '',
    "requests" INTEGER NOT NULL DEFAULT 0,
    "stream_requests" INTEGER NOT NULL DEFAULT 0,
    "input_tokens" BIGINT NOT NULL DEFAULT 0,
    "output_tokens" BIGINT NOT NULL DEFAULT 0,
    "cached_input_tokens" BIGINT NOT NULL DEFAULT 0,
    "cost_micros" BIGINT NOT NULL DEFAULT 0,
    "latency_ms_sum" BIGINT NOT NULL DEFAULT 0,
    "latency_ms_max" INTEGER NOT NULL DEFAULT 0,
    "ttft_ms_sum" BIGINT NOT NULL DEFAULT 0,
    "ttft_count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "usage_rollups_hourly_pkey" PRIMARY KEY ("bucket_start","key_id","team_id","model","provider_id","status","environment")
);

-- CreateTable
CREATE TABLE "usage_rollups_daily" (
    "bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "key_id" TEXT NOT NULL DEFAULT '',
    "team_id" TEXT NOT NULL DEFAULT '',
    "model" TEXT NOT NULL,
    "provider_id" TEXT NOT NULL DEFAULT '',
    "status" "UsageStatus" NOT NULL,
    "environment" TEXT NOT NULL DEFAULT '',
    "requests" INTEGER NOT NULL DEFAULT 0,
    "stream_requests" INTEGER NOT NULL DEFAULT 0,
    "input_tokens" BIGINT NOT NULL DEFAULT 0,
    "output_tokens" BIGINT NOT NULL DEFAULT 0,
    "cached_input_tokens" BIGINT NOT NULL DEFAULT 0,
    "cost_micros" BIGINT NOT NULL DEFAULT 0,
    "latency_ms_sum" BIGINT NOT NULL DEFAULT 0,
    "latency_ms_max" INTEGER NOT NULL DEFAULT 0,
    "ttft_ms_sum" BIGINT NOT NULL DEFAULT 0,
    "ttft_count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "usage_rollups_daily_pkey" PRIMARY KEY ("bucket_start","key_id","team_id","model","provider_id","status","environment")
);

-- CreateIndex
CREATE INDEX "budgets_scope_scope_id_idx" ON "budgets"("scope", "scope_id");

-- CreateIndex
CREATE UNIQUE INDEX "budget_alerts_budget_id_period_start_threshold_key" ON "budget_alerts"("budget_id", "period_start", "threshold");

-- CreateIndex
CREATE INDEX "usage_rollups_hourly_bucket_start_idx" ON "usage_rollups_hourly"("bucket_start");

-- CreateIndex
CREATE INDEX "usage_rollups_daily_bucket_start_idx" ON "usage_rollups_daily"("bucket_start");

-- CreateIndex
CREATE INDEX "prices_model_effective_from_idx" ON "prices"("model", "effective_from");

-- AddForeignKey
ALTER TABLE "prices" ADD CONSTRAINT "prices_provider_id_fkey" FOREIGN KEY ("provider_id") REFERENCES "providers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "budget_alerts" ADD CONSTRAINT "budget_alerts_budget_id_fkey" FOREIGN KEY ("budget_id") REFERENCES "budgets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Routers reload their snapshot when limits or budgets change (see 20261122045220_config_notify).
DROP TRIGGER "api_keys_notify_config_update" ON "api_keys";
CREATE TRIGGER "api_keys_notify_config_update"
AFTER UPDATE OF "id", "name", "digest", "prefix", "team_id", "owner_id", "environment", "tags", "allowed_models",
  "expires_at", "revoked_at", "created_at", "default_traffic_class", "allowed_traffic_classes",
  "rpm_limit", "tpm_limit" ON "api_keys"
FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_config_change"();

CREATE TRIGGER "teams_notify_config_change"
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "teams"
FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_config_change"();

CREATE TRIGGER "budgets_notify_config_change"
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "budgets"
FOR EACH STATEMENT EXECUTE FUNCTION "switchyard_notify_config_change"();
