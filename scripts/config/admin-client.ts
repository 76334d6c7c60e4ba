/** An error answered by the admin API, in its `{ error: { code, message, requestId, field? } }` shape. */
export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'AdminApiError';
  }
}

export interface AdminClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
}

interface ErrorBody {
  error?: { code?: string; message?: string; requestId?: string; field?: string };
}

/**
 * A small client of /api/admin/v1 with the admin token. `baseUrl` is the dashboard's origin
 * (SWITCHYARD_URL); the CLI goes through the API, never the database, so it works wherever the console does.
 */
export function createAdminClient(options: { baseUrl: string; token: string }): AdminClient {
  const root = `${options.baseUrl.replace(/\/+$/, '')}/api/admin/v1`;
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${root}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${options.token}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) {
      let parsed: ErrorBody = {};
      try {
        parsed = JSON.parse(text) as ErrorBody;
      } catch {
        // Not the admin error shape (a proxy's page): report the status alone.
      }
      throw new AdminApiError(
        res.status,
        parsed.error?.code ?? `http_${res.status}`,
        `${method} ${path}: ${parsed.error?.message ?? `HTTP ${res.status}`}`,
        parsed.error?.requestId ?? res.headers.get('x-request-id'),
        parsed.error?.field,
      );
    }
    return (text === '' ? null : JSON.parse(text)) as T;
  }
  return {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
    patch: (path, body) => call('PATCH', path, body),
  };
}
