import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // `next build` writes a self-contained server (.next/standalone/apps/dashboard/server.js, the `start` script)
  // with only the node_modules files it uses: what the image runs. Traced from the repository root, where the
  // workspace's dependencies are installed.
  output: 'standalone',
  outputFileTracingRoot: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..'),
  // Our packages export TypeScript source.
  transpilePackages: ['@switchyard/core', '@switchyard/db'],
  // The database driver and Prisma's runtime stay plain Node requires instead of being bundled.
  serverExternalPackages: ['pg', '@prisma/client', '@prisma/adapter-pg', '@prisma/driver-adapter-utils'],
  poweredByHeader: false,
};

export default nextConfig;
