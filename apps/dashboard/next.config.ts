import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Our packages export TypeScript source.
  transpilePackages: ['@switchyard/core', '@switchyard/db'],
  // The database driver and Prisma's runtime stay plain Node requires instead of being bundled.
  serverExternalPackages: ['pg', '@prisma/client', '@prisma/adapter-pg', '@prisma/driver-adapter-utils'],
  poweredByHeader: false,
};

export default nextConfig;
