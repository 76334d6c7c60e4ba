-- Every endpoint family behind one key (issue 13): each usage row names the protocol its caller spoke (the surface)
-- and the protocol its serving upstream spoke, so translated traffic can be told from passed-through traffic. Nullable:
-- rows written before, and spilled events replayed from before, carry neither.

-- AlterTable
ALTER TABLE "usage_events" ADD COLUMN     "surface" TEXT,
ADD COLUMN     "upstream_protocol" TEXT;
