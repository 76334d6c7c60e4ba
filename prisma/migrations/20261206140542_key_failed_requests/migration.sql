-- CreateIndex
CREATE INDEX "usage_events_failed_key_id_created_at_idx" ON "usage_events"("key_id", "created_at", "status", "error_class") WHERE (status <> 'success');
