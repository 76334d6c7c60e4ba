import { Prisma } from '../client';

/** Prisma's error code (e.g. "P2002" unique violation, "P2003" foreign key, "P2025" not found), or null. */
export function prismaErrorCode(error: unknown): string | null {
  return error instanceof Prisma.PrismaClientKnownRequestError ? error.code : null;
}
