import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * A tiny OpenID Connect issuer for the browser tests: discovery, JWKS, an authorize page where the tester types the
 * e-mail to sign in as, a token endpoint (client secret, authorization code, PKCE S256) issuing RS256 ID tokens,
 * and userinfo. Enough for next-auth's openid-client to run the real authorization code flow against it.
 */
export interface TestIssuer {
  url: string;
  /** Every token request's grant, for assertions (the code flow really ran). */
  tokenRequests: { clientId: string; pkce: boolean }[];
  close(): Promise<void>;
}

interface Grant {
  clientId: string;
  redirectUri: string;
  codeChallenge: string | null;
  nonce: string | null;
  email: string;
  emailVerified: boolean;
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function signJwt(privateKey: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const payload = base64url(JSON.stringify(claims));
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), privateKey);
  return `${header}.${payload}.${base64url(signature)}`;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startTestIssuer(options: {
  port: number;
  clients: Record<string, { secret: string }>;
}): Promise<TestIssuer> {
  const url = `http://127.0.0.1:${options.port}`;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(8).toString('hex');
  const codes = new Map<string, Grant>();
  const accessTokens = new Map<string, Record<string, unknown>>();
  const tokenRequests: TestIssuer['tokenRequests'] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const requestUrl = new URL(req.url ?? '/', url);
    const path = requestUrl.pathname;
    if (req.method === 'GET' && path === '/.well-known/openid-configuration') {
      return json(res, 200, {
        issuer: url,
        authorization_endpoint: `${url}/authorize`,
        token_endpoint: `${url}/token`,
        userinfo_endpoint: `${url}/userinfo`,
        jwks_uri: `${url}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid', 'email', 'profile'],
        token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        code_challenge_methods_supported: ['S256'],
        claims_supported: ['sub', 'email', 'email_verified', 'name'],
      });
    }
    if (req.method === 'GET' && path === '/jwks') {
      return json(res, 200, {
        keys: [{ ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' }],
      });
    }
    if (req.method === 'GET' && path === '/authorize') {
      const q = requestUrl.searchParams;
      const clientId = q.get('client_id') ?? '';
      if (!options.clients[clientId] || q.get('response_type') !== 'code') {
        return json(res, 400, { error: 'unauthorized_client' });
      }
      const hidden = [
        'client_id',
        'redirect_uri',
        'state',
        'code_challenge',
        'code_challenge_method',
        'nonce',
      ]
        .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(q.get(name) ?? '')}">`)
        .join('');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(`<!doctype html><title>Test IdP</title><h1>Test IdP</h1>
<form method="post" action="/authorize">${hidden}
<label>E-mail <input name="email" type="email"></label>
<label><input type="checkbox" name="email_verified" checked> verified</label>
<button type="submit">Continue</button></form>`);
    }
    if (req.method === 'POST' && path === '/authorize') {
      const form = await readForm(req);
      const code = randomBytes(16).toString('hex');
      codes.set(code, {
        clientId: form.get('client_id') ?? '',
        redirectUri: form.get('redirect_uri') ?? '',
        codeChallenge: form.get('code_challenge_method') === 'S256' ? form.get('code_challenge') : null,
        nonce: form.get('nonce') || null,
        email: form.get('email') ?? '',
        emailVerified: form.get('email_verified') === 'on',
      });
      const back = new URL(form.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      const state = form.get('state');
      if (state) back.searchParams.set('state', state);
      res.writeHead(302, { location: back.toString() });
      return res.end();
    }
    if (req.method === 'POST' && path === '/token') {
      const form = await readForm(req);
      let clientId = form.get('client_id') ?? '';
      let secret = form.get('client_secret') ?? '';
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (basic) {
        const [id, pass] = Buffer.from(basic, 'base64').toString('utf8').split(':');
        clientId = decodeURIComponent(id ?? '');
        secret = decodeURIComponent(pass ?? '');
      }
      if (options.clients[clientId]?.secret !== secret) return json(res, 401, { error: 'invalid_client' });
      const grant = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      if (!grant || grant.clientId !== clientId || grant.redirectUri !== form.get('redirect_uri')) {
        return json(res, 400, { error: 'invalid_grant' });
      }
      if (grant.codeChallenge !== null) {
        const verifier = form.get('code_verifier') ?? '';
        if (createHash('sha256').update(verifier).digest('base64url') !== grant.codeChallenge) {
          return json(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
        }
      }
      tokenRequests.push({ clientId, pkce: grant.codeChallenge !== null });
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        sub: `sub-${createHash('sha256').update(grant.email).digest('hex').slice(0, 16)}`,
        email: grant.email,
        email_verified: grant.emailVerified,
        name: grant.email.split('@')[0],
      };
      const accessToken = randomBytes(16).toString('hex');
      accessTokens.set(accessToken, claims);
      const idToken = signJwt(privateKey, kid, {
        ...claims,
        iss: url,
        aud: clientId,
        iat: now,
        exp: now + 300,
        ...(grant.nonce ? { nonce: grant.nonce } : {}),
      });
      return json(res, 200, {
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: 300,
        id_token: idToken,
      });
    }
    if (req.method === 'GET' && path === '/userinfo') {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const claims = accessTokens.get(token);
      return claims ? json(res, 200, claims) : json(res, 401, { error: 'invalid_token' });
    }
    return json(res, 404, { error: 'not_found' });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => json(res, 500, { error: String(error) }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  return {
    url,
    tokenRequests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
