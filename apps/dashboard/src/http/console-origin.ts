import { getEnv } from '../env';

/** Where invite links point: the console's public URL (NEXTAUTH_URL), else the origin the request came to. */
export function consoleOrigin(requestOrigin: string): string {
  const publicUrl = getEnv().NEXTAUTH_URL;
  return publicUrl === undefined ? requestOrigin : new URL(publicUrl).origin;
}
