-- CreateIndex
CREATE INDEX "usage_events_traffic_class_created_at_idx" ON "usage_events"("traffic_class", "created_at");

-- CreateIndex
CREATE INDEX "usage_events_surface_created_at_idx" ON "usage_events"("surface", "created_at");
