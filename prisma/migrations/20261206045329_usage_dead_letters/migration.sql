-- Usage events PostgreSQL refuses even alone are parked here by the usage writer (bisecting a refused batch),
-- so a single bad event can never block the ones queued behind it.
-- CreateTable
CREATE TABLE "usage_dead_letters" (
    "id" TEXT NOT NULL,
    "request_id" TEXT,
    "event" TEXT NOT NULL,
    "error" TEXT NOT NULL,
    "sql_state" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_dead_letters_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "usage_dead_letters_request_id_key" ON "usage_dead_letters"("request_id");

-- CreateIndex
CREATE INDEX "usage_dead_letters_created_at_idx" ON "usage_dead_letters"("created_at");
