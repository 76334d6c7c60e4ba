-- Embeddings and images as first-class families (issue 13): a flat price per generated image, for image models
-- priced per image whatever the size and quality (or for sizes `images` does not list, such as `auto`).
-- Nullable: existing rows price no image this way.

-- AlterTable
ALTER TABLE "prices" ADD COLUMN     "image_micros" BIGINT;
