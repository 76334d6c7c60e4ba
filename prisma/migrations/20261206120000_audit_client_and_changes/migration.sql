-- AlterTable
ALTER TABLE "audit_log" ADD COLUMN     "after" JSONB,
ADD COLUMN     "before" JSONB,
ADD COLUMN     "ip" TEXT,
ADD COLUMN     "user_agent" TEXT;
