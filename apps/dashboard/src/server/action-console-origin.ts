import { headers } from 'next/headers';
import { consoleOrigin } from '../http/console-origin';

/** The console's origin as a server action sees it: the browser's Origin header (sent on every action POST). */
export async function actionConsoleOrigin(): Promise<string> {
  const incoming = await headers();
  const origin = incoming.get('origin');
  const host = incoming.get('host');
  return consoleOrigin(origin ?? `http://${host ?? 'localhost:3000'}`);
}
