// The environment of the root scripts (`npm start`, `npm run db:migrate`), validated once. Nothing else in
// scripts/ reads process.env.
import { z } from 'zod';

const PORT_MESSAGE = 'must be a port number between 1 and 65535';
const port = (fallback: number) =>
  z.coerce
    .number({ error: PORT_MESSAGE })
    .int(PORT_MESSAGE)
    .min(1, PORT_MESSAGE)
    .max(65_535, PORT_MESSAGE)
    .default(fallback);
const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();
const postgresUrl = z
  .string()
  .trim()
  .refine((value) => /^postgres(ql)?:\/\/./.test(value), 'must be a postgres:// or postgresql:// URL');
const optionalPostgresUrl = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .pipe(postgresUrl.optional())
  .optional();

const startSchema = z.object({
  DATABASE_URL: optionalPostgresUrl,
  SWITCHYARD_DATA_DIR: z.string().trim().min(1).default('.data'),
  EMBEDDED_PG_PORT: port(54329),
  ROUTER_PORT: port(8080),
  DASHBOARD_PORT: port(3000),
  MOCK_PORT: port(4010),
  /** `off` runs the gateway without the console (no build, no `next start`): API-only hosts and the start tests. */
  SWITCHYARD_DASHBOARD: z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'),
  SWITCHYARD_MASTER_KEY: optionalText,
  SWITCHYARD_ADMIN_TOKEN: optionalText.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  NEXTAUTH_SECRET: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  NEXTAUTH_URL: optionalText.pipe(z.url().optional()),
  ROUTER_PUBLIC_URL: optionalText.pipe(z.url().optional()),
  SWITCHYARD_ADMIN_EMAIL: z.email('must be an email address').default('admin@switchyard.local'),
  SWITCHYARD_ADMIN_PASSWORD: optionalText.pipe(z.string().min(8, 'must be at least 8 characters').optional()),
  /** Passed to the dashboard as is (it validates it); absent: 127.0.0.1, where the bundled mock provider listens. */
  SWITCHYARD_EGRESS_ALLOW: optionalText,
  /** Passed to the router as is (it validates it); absent: `usage-spill` under the data dir. */
  USAGE_SPILL_DIR: z.string().optional(),
});

export type StartEnv = z.infer<typeof startSchema>;

const migrateSchema = z.object({
  DATABASE_URL: z
    .string({
      error:
        'is not set; point it at the database to migrate, e.g. postgresql://user:pass@localhost:5432/switchyard',
    })
    .trim()
    .min(1, 'is empty')
    .pipe(postgresUrl),
});

export type MigrateEnv = z.infer<typeof migrateSchema>;

export class EnvError extends Error {
  override name = 'EnvError';
}

export function loadStartEnv(source: Record<string, string | undefined> = process.env): StartEnv {
  return parse(startSchema, source);
}

export function loadMigrateEnv(source: Record<string, string | undefined> = process.env): MigrateEnv {
  return parse(migrateSchema, source);
}

function parse<T>(schema: z.ZodType<T>, source: Record<string, string | undefined>): T {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map(
    (issue) => `  ${issue.path.join('.') || '(environment)'}: ${issue.message}`,
  );
  throw new EnvError(`invalid environment:\n${lines.join('\n')}`);
}

/** Prints an EnvError readably and exits 1; rethrows anything else. */
export function exitOnEnvError(error: unknown): never {
  if (error instanceof EnvError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
