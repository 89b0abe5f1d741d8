# syntax=docker/dockerfile:1
# One image for the worker, the simulator and `dcp` (docker-compose.yml picks the command).

# Builder: every dependency, then `npm ci` runs `prepare`, which compiles to dist/ and bundles the workflows.
FROM node:20.19-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm ci --no-audit --no-fund

# Runtime: production dependencies and dist/ only, as the unprivileged `node` user.
FROM node:20.19-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The simulator's journal lives in /data (a volume in docker-compose.yml), owned by the runtime user.
RUN mkdir -p /data && chown node:node /data
USER node
CMD ["node", "dist/worker.js"]
