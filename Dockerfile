# One image for the router, the dashboard and migrations; docker-compose.yml picks each service's command (the
# `start` script of its package, run with node directly). Two stages:
#   build    the whole workspace with dev dependencies, compiled by the same package scripts `npm start` and the
#            tests use: esbuild bundles of the router, the mock provider and the root scripts, and the dashboard's
#            Next.js standalone server;
#   runtime  the compiled output, the production dependencies of what runs here and nothing else (no bench/,
#            e2e/, test kit, TypeScript sources or TypeScript loader), as a non-root user.

FROM node:20-bookworm-slim AS base
ENV NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1 npm_config_update_notifier=false npm_config_fund=false
WORKDIR /app

FROM base AS build
COPY . .
RUN npm ci
RUN npm run build

FROM base AS runtime
ENV NODE_ENV=production
# The equivalent of `turbo prune`: only the manifests of the workspaces that run here, so `npm ci` installs their
# production dependencies (the dashboard's standalone output carries the node_modules files it uses, traced by
# `next build`). Install scripts are not needed: the Prisma client is compiled into the bundles. Optional
# dependencies are left out: that drops the Prisma CLI and Studio (an optional peer of @prisma/client, ~300 MB)
# and embedded PostgreSQL's binaries (the image runs against a real server): node_modules 146 MB instead of 459.
COPY package.json package-lock.json ./
COPY apps/router/package.json apps/router/
COPY packages/core/package.json packages/core/
COPY packages/db/package.json packages/db/
COPY packages/mock-provider/package.json packages/mock-provider/
RUN npm ci --omit=dev --omit=optional --ignore-scripts --include-workspace-root \
      --workspace=@switchyard/router --workspace=@switchyard/mock-provider \
  && npm cache clean --force
# Migrations (db-migrate.js applies them; prisma/schema.prisma also marks the root the bundles look up).
COPY prisma prisma
COPY --from=build /app/scripts/dist scripts/dist
COPY --from=build /app/apps/router/dist apps/router/dist
COPY --from=build /app/packages/mock-provider/dist packages/mock-provider/dist
COPY --from=build /app/apps/dashboard/package.json apps/dashboard/package.json
COPY --from=build /app/apps/dashboard/.next/standalone apps/dashboard/.next/standalone
# /app stays root-owned and read-only to the app. What it writes: the router's usage spill directory (a named
# volume in compose; a fresh volume takes this directory's owner) and Next.js's cache.
RUN mkdir -p /var/lib/switchyard/usage-spill apps/dashboard/.next/standalone/apps/dashboard/.next/cache \
  && chown -R node:node /var/lib/switchyard apps/dashboard/.next/standalone/apps/dashboard/.next/cache
ENV USAGE_SPILL_DIR=/var/lib/switchyard/usage-spill
USER node
EXPOSE 8080 3000
