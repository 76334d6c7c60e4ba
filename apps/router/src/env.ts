import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);
const positiveMs = z.coerce.number().int().positive();

const schema = z.object({
  DATABASE_URL: z.string().url({ message: 'must be a postgres:// URL' }),
  SWITCHYARD_MASTER_KEY: z.string().min(1, 'is required to decrypt upstream credentials'),
  ROUTER_HOST: z.string().default('0.0.0.0'),
  ROUTER_PORT: port.default(8080),
  ROUTER_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
  ROUTER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  UPSTREAM_CONNECT_TIMEOUT_MS: positiveMs.default(10_000),
  UPSTREAM_HEADERS_TIMEOUT_MS: positiveMs.default(120_000),
  UPSTREAM_BODY_TIMEOUT_MS: positiveMs.default(120_000),
  UPSTREAM_CONNECTIONS: z.coerce.number().int().positive().default(256),
  SNAPSHOT_REFRESH_MS: positiveMs.default(30_000),
  USAGE_FLUSH_MS: positiveMs.default(200),
  USAGE_BATCH_SIZE: z.coerce.number().int().positive().default(500),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type RouterEnv = z.infer<typeof schema>;

/** Validates the environment once at start-up; the only reader of process.env in the router. */
export function loadRouterEnv(source: NodeJS.ProcessEnv = process.env): RouterEnv {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid router configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
