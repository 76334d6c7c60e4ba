import type { ProviderAdapter, ResolvedTarget } from '@switchyard/core';

/** A 2xx attempt whose answer or stream is going to the caller. */
export interface ServedAttempt {
  resolved: ResolvedTarget;
  adapter: ProviderAdapter;
  /** The adapter speaks the surface's protocol: the upstream's bytes go to the caller as they are. */
  passthrough: boolean;
  /** The readback headers of the answer. */
  headers: Record<string, string>;
}
