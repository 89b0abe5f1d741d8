# syntax=docker/dockerfile:1
# Two images from one build: `runtime` (the default: worker, webhook listener, operator commands) holds only the
# product; `simulator` holds the DataCosmos simulator, a development tool that the product never imports.
# test/production/images.test.ts builds and runs both without a Docker engine, by interpreting this file: an
# instruction or form it does not know fails that test until the interpreter learns it.

# Builder: every dependency, then the product and the simulator are compiled and the workflows bundled.
FROM node:24.21-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json tsconfig.product.json tsconfig.simulator.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY src ./src
COPY simulator ./simulator
RUN npm run build:product && npx tsc -p tsconfig.simulator.json

# The simulator: its compiled code and production dependencies, its journal in /data (a volume in docker-compose.yml).
FROM node:24.21-bookworm-slim AS simulator
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/simulator ./dist/simulator
RUN mkdir -p /data && chown node:node /data
USER node
CMD ["node", "dist/simulator/main.js", "--host", "0.0.0.0", "--data-dir", "/data/simulator"]

# Runtime (last, so a plain `docker build` makes it): production dependencies and the product's dist/ only,
# as the unprivileged `node` user.
FROM node:24.21-bookworm-slim AS runtime
# The worker replays the running executions on its queues before it polls, and refuses to start on one its code
# cannot replay (docs/operations.md, "Deploying a workflow change safely"); WORKER_REPLAY_CHECK=0 turns it off.
ENV NODE_ENV=production WORKER_REPLAY_CHECK=20
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/workflow-bundle.js ./dist/workflow-bundle.js
USER node
CMD ["node", "dist/src/worker.js"]
