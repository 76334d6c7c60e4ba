import type { AdminContext } from './admin-context';
import { AdminError } from './admin-error';

/** Refuses a URL (provider base URL, webhook) the egress policy does not allow, naming the field. */
export async function requireAllowedEgress(ctx: AdminContext, field: string, url: string): Promise<void> {
  const refusal = await ctx.egress.refusal(url);
  if (refusal !== null) throw new AdminError('invalid_request', `${field}: ${refusal}`, field);
}
