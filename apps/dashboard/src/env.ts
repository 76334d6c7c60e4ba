import { z } from 'zod';
import { parseEgressAllow } from './server/egress-policy';
import type { OidcSettings } from './server/oidc-sign-in';

/** Only outside production: a fixed secret lets `next dev` sign people in without setup. */
const DEVELOPMENT_SESSION_SECRET = 'switchyard-development-session-secret-not-for-production';

const SECRET_LENGTH_MESSAGE = 'must be at least 32 characters (e.g. `openssl rand -base64 32`)';

/** In production the session secret is required; elsewhere a development-only one stands in. */
function schemaFor(production: boolean) {
  return z
    .object({
      NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
      DATABASE_URL: z.string({ error: 'is required (postgresql://user:password@host:5432/database)' }).url({
        message: 'must be a postgresql:// URL',
      }),
      NEXTAUTH_SECRET: production
        ? z.string({ error: 'is required in production' }).min(32, SECRET_LENGTH_MESSAGE)
        : z.string().min(32, SECRET_LENGTH_MESSAGE).default(DEVELOPMENT_SESSION_SECRET),
      NEXTAUTH_URL: z.string().url().optional(),
      SWITCHYARD_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
      /** Needed only to store upstream credentials; checked (64 hex chars or base64 of 32 bytes) when set. */
      SWITCHYARD_MASTER_KEY: z.string().min(1).optional(),
      ROUTER_PUBLIC_URL: z.string().url().default('http://localhost:8080'),
      /** OIDC sign-in (any issuer with a discovery document): all three of issuer, client id and secret, or none. */
      OIDC_ISSUER: z.string().url().optional(),
      OIDC_CLIENT_ID: z.string().min(1).optional(),
      OIDC_CLIENT_SECRET: z.string().min(1).optional(),
      /** The sign-in button says "Sign in with <OIDC_NAME>". */
      OIDC_NAME: z.string().min(1).max(50).default('single sign-on'),
      /** `true`: an OIDC user whose e-mail no console user has is created as a viewer; otherwise refused. */
      OIDC_AUTO_PROVISION: z.enum(['true', 'false']).default('false'),
      /**
       * Private, loopback or link-local destinations provider base URLs and webhooks may name, comma-separated:
       * addresses, CIDR ranges or host names (e.g. `127.0.0.1,10.0.0.0/8,vllm.internal`). Empty: none.
       */
      SWITCHYARD_EGRESS_ALLOW: z
        .string()
        .optional()
        .transform((text, issue) => {
          try {
            return parseEgressAllow(text);
          } catch (error) {
            issue.addIssue({
              code: 'custom',
              message: error instanceof Error ? error.message : String(error),
            });
            return z.NEVER;
          }
        }),
    })
    .superRefine((env, ctx) => {
      const oidc = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET];
      if (oidc.some((value) => value !== undefined) && oidc.some((value) => value === undefined)) {
        for (const name of ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const) {
          if (env[name] === undefined) {
            ctx.addIssue({
              code: 'custom',
              path: [name],
              message: 'is required when any OIDC_* setting is set',
            });
          }
        }
      }
    });
}

/** The OIDC sign-in settings, or null when OIDC is not configured. */
export function oidcSettings(env: DashboardEnv): OidcSettings | null {
  if (!env.OIDC_ISSUER || !env.OIDC_CLIENT_ID || !env.OIDC_CLIENT_SECRET) return null;
  return {
    issuer: env.OIDC_ISSUER,
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    name: env.OIDC_NAME,
    autoProvisionViewers: env.OIDC_AUTO_PROVISION === 'true',
  };
}

export type DashboardEnv = z.infer<ReturnType<typeof schemaFor>>;

/** Validates an environment; throws one readable message listing every problem. */
export function parseDashboardEnv(source: Record<string, string | undefined>): DashboardEnv {
  // Empty strings (e.g. `FOO=` in a compose file) mean "unset".
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = schemaFor(cleaned.NODE_ENV === 'production').safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid dashboard configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

let cached: DashboardEnv | undefined;

/**
 * The validated environment; the only reader of process.env in the dashboard. Parsed on first use (at server
 * start-up via instrumentation.ts, never at import) so `next build` needs no environment.
 */
export function getEnv(): DashboardEnv {
  cached ??= parseDashboardEnv(process.env);
  return cached;
}
