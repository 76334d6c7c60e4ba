// How `npm start` tells that a child serves. A port that accepts connections is not enough for the router: it
// listens before its config snapshot is loaded and answers 503 "The gateway is starting" until then.

import net from 'node:net';

export interface Readiness {
  ready: boolean;
  /** When not ready but the child answered: what it is waiting for, for the operator. */
  waitingFor?: string;
}

/** Answers whether a child serves; must not throw and must not take long. */
export type ReadinessProbe = () => Promise<Readiness>;

const PROBE_TIMEOUT_MS = 2_000;

/** Ready once something accepts TCP connections on 127.0.0.1:`port`. */
export function portProbe(port: number): ReadinessProbe {
  return () =>
    new Promise((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      socket.setTimeout(PROBE_TIMEOUT_MS);
      const done = (ready: boolean) => {
        socket.destroy();
        resolve({ ready });
      };
      socket.once('connect', () => done(true));
      socket.once('timeout', () => done(false));
      socket.once('error', () => done(false));
    });
}

/** Ready once `GET url` answers 2xx (the router's /readyz: a config snapshot is loaded). */
export function readyzProbe(url: string): ReadinessProbe {
  return async () => {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      const body = await response.text();
      if (response.ok) return { ready: true };
      const status = statusField(body) ?? String(response.status);
      return { ready: false, waitingFor: `${new URL(url).pathname} to say ready (now "${status}")` };
    } catch {
      return { ready: false };
    }
  };
}

/** The `status` of a JSON body such as /readyz's, if it has one. */
function statusField(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'status' in parsed &&
      typeof parsed.status === 'string'
    )
      return parsed.status;
  } catch {
    // Not JSON: the HTTP status says enough.
  }
  return undefined;
}
