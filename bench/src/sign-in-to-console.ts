/**
 * Signs in to the console as a browser does (next-auth's CSRF token, then the credentials callback) and returns
 * the Cookie header that carries the session.
 */
export async function signInToConsole(
  dashboardUrl: string,
  email: string,
  password: string,
): Promise<string> {
  const csrf = await fetch(`${dashboardUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookies = csrf.headers.getSetCookie().map((line) => line.split(';')[0]);
  const answer = await fetch(`${dashboardUrl}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: csrfCookies.join('; '),
      origin: dashboardUrl,
    },
    body: new URLSearchParams({ csrfToken, email, password, json: 'true' }),
  });
  const session = answer.headers
    .getSetCookie()
    .map((line) => line.split(';')[0] ?? '')
    .find((pair) => /session-token=/.test(pair));
  if (!session) throw new Error(`console sign-in as ${email} failed (HTTP ${answer.status})`);
  return session;
}
