-- Readback is a promise (issue 12 E1, E4, E9): per-route breaker thresholds and per-account health checks (null
-- follows the router environment), a credential epoch so a reset voids every earlier 401 mark, and the settings
-- each router applies, published beside its health rows. The config triggers are statement-level on any UPDATE of
-- routes and upstream_accounts, so these columns reload every router like the rest.

-- AlterTable
ALTER TABLE "routes" ADD COLUMN     "breaker_consecutive_failures" INTEGER,
ADD COLUMN     "breaker_cooldown_ms" INTEGER,
ADD COLUMN     "breaker_failure_rate" DOUBLE PRECISION,
ADD COLUMN     "breaker_min_requests" INTEGER,
ADD COLUMN     "breaker_window_ms" INTEGER;

-- AlterTable
ALTER TABLE "upstream_accounts" ADD COLUMN     "credential_epoch" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "health_check_enabled" BOOLEAN,
ADD COLUMN     "health_check_interval_ms" INTEGER;

-- CreateTable
CREATE TABLE "router_instances" (
    "instance_id" TEXT NOT NULL,
    "settings" JSONB NOT NULL,
    "reported_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "router_instances_pkey" PRIMARY KEY ("instance_id")
);
