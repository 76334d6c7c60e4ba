import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';

export type { PrismaClient } from './generated/prisma/client';
export { Prisma } from './generated/prisma/client';

export interface CreatePrismaClientOptions {
  /** Upper bound of pooled connections; pg's default is 10. */
  maxConnections?: number;
  /** Called for errors on idle pooled connections (e.g. the server restarted); they would otherwise crash the process. */
  onPoolError?: (error: Error) => void;
}

/** A Prisma client over node-postgres. Call `$disconnect()` to close its pool. */
export function createPrismaClient(
  databaseUrl: string,
  options: CreatePrismaClientOptions = {},
): PrismaClient {
  const adapter = new PrismaPg(
    { connectionString: databaseUrl, max: options.maxConnections },
    { onPoolError: options.onPoolError ?? (() => {}) },
  );
  return new PrismaClient({ adapter });
}
