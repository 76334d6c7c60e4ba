/**
 * Runs once when `next start` / `next dev` boots (never during `next build`): a bad environment or master key
 * stops the server with a readable message instead of failing the first request.
 */
export async function register(): Promise<void> {
  // NEXT_RUNTIME is not configuration: Next replaces it with a literal per bundle, and this exact comparison
  // lets it drop the database modules from the edge bundle it also compiles this file for.
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { getAdminContext } = await import('./server/admin-context');
    getAdminContext();
    const { decoyPasswordHash } = await import('./server/verify-credentials');
    void decoyPasswordHash();
  }
}
