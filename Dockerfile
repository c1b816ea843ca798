# syntax=docker/dockerfile:1
# Wallet service image. Two stages: the build needs the dev dependencies (TypeScript, Vite),
# the runtime gets production dependencies only and runs as the unprivileged `node` user.
# Not built on the development machines (no Docker engine there): see docs/operations.md.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# Compiles src/ and libs/ into dist/ and the web console into dist/web.
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The embedded PostgreSQL (used only when DATABASE_URL is unset) keeps its data here.
RUN mkdir -p .data && chown node:node .data
USER node
EXPOSE 3000
# Ready = the database answers (Redis down only degrades); a draining instance reports 503.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# main.ts drains on SIGTERM within SHUTDOWN_TIMEOUT_MS (default 10 s): give it that, plus a margin, before SIGKILL.
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]
