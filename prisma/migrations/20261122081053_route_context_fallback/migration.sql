-- AlterTable
ALTER TABLE "routes" ADD COLUMN     "context_fallback_model" TEXT;
