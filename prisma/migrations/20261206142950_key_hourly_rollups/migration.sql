-- CreateIndex
CREATE INDEX "usage_rollups_hourly_key_id_bucket_start_idx" ON "usage_rollups_hourly"("key_id", "bucket_start");
