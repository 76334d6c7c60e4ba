-- AlterTable
ALTER TABLE "budget_alerts" ADD COLUMN     "delivery_attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "last_delivery_error" TEXT,
ADD COLUMN     "next_delivery_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "budget_alerts_next_delivery_at_idx" ON "budget_alerts"("next_delivery_at");
