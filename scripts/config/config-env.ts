// The environment of `npm run config`, validated once; the only reader of process.env in scripts/config.
import { z } from 'zod';

const schema = z.object({
  /** The dashboard's origin, where /api/admin/v1 is served. */
  SWITCHYARD_URL: z.url({
    protocol: /^https?$/,
    message: 'must be the dashboard URL, e.g. http://localhost:3000',
  }),
  /** The dashboard's SWITCHYARD_ADMIN_TOKEN. */
  SWITCHYARD_ADMIN_TOKEN: z.string({ error: 'is required (the dashboard’s admin token)' }).min(1),
});

export type ConfigEnv = z.infer<typeof schema>;

export function loadConfigEnv(): ConfigEnv {
  const cleaned = Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== ''));
  const parsed = schema.safeParse({ SWITCHYARD_URL: 'http://localhost:3000', ...cleaned });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid environment for npm run config:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** What an `${ENV_NAME}` reference in the file reads. */
export function readEnvReference(name: string): string | undefined {
  return process.env[name];
}
