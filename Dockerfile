# One image for router, dashboard and migrations (docker-compose.yml picks the command).
FROM node:20-bookworm-slim
ENV NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1
WORKDIR /app
COPY . .
RUN npm ci && npm run build -w @switchyard/dashboard
USER node
