-- AlterTable
ALTER TABLE "budget_alerts" ADD COLUMN     "delivery_attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "last_delivery_error" TEXT,
ADD COLUMN     "next_delivery_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "budget_alerts_next_delivery_at_idx" ON "budget_alerts"("next_delivery_at");

-- Alerts that earlier routers failed to deliver (their retries lived in the sending process): the recent
-- ones, of budgets that still have a webhook, become due once more. Older ones stay undelivered.
UPDATE "budget_alerts" AS a SET "next_delivery_at" = CURRENT_TIMESTAMP
FROM "budgets" AS b
WHERE b."id" = a."budget_id" AND b."webhook_url" IS NOT NULL
  AND a."delivered_at" IS NULL AND a."created_at" > CURRENT_TIMESTAMP - INTERVAL '1 day';
