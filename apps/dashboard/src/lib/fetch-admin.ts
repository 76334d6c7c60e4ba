/** GETs an admin API path with the session cookie; a lost session sends the browser to the sign-in page. */
export async function fetchAdmin<T>(path: string): Promise<T> {
  const response = await fetch(`/api/admin/v1${path}`, { headers: { accept: 'application/json' } });
  if (response.status === 401) {
    window.location.assign(`/login?callbackUrl=${encodeURIComponent(window.location.pathname)}`);
    throw new Error('Signed out');
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `Request failed with HTTP ${response.status}`);
  }
  return (await response.json()) as T;
}
