-- DropIndex
DROP INDEX "usage_events_created_at_idx";

-- AlterTable
ALTER TABLE "usage_events" ADD COLUMN     "traffic_class" TEXT;

-- CreateIndex
CREATE INDEX "usage_events_created_at_request_id_idx" ON "usage_events"("created_at", "request_id");

-- CreateIndex
CREATE INDEX "usage_events_team_id_created_at_idx" ON "usage_events"("team_id", "created_at");

-- CreateIndex
CREATE INDEX "usage_events_requested_model_created_at_idx" ON "usage_events"("requested_model", "created_at");

-- CreateIndex
CREATE INDEX "usage_events_served_model_created_at_idx" ON "usage_events"("served_model", "created_at");

-- CreateIndex
CREATE INDEX "usage_events_served_provider_id_created_at_idx" ON "usage_events"("served_provider_id", "created_at");

-- CreateIndex
CREATE INDEX "usage_events_error_class_created_at_idx" ON "usage_events"("error_class", "created_at");

-- CreateIndex
CREATE INDEX "usage_events_status_created_at_idx" ON "usage_events"("status", "created_at");
