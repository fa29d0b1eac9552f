# One image for the four services and their one-shot tools; the command picks which:
#   node dist/apps/<checkin|membership|telehealth|reporting>/src/main.js
#   node dist/apps/reporting/src/rebuild.main.js      (npm run reporting:rebuild)
#   node dist/deploy/local/seed-rosters.js            (the seed rosters, for docker-compose)
# Build: docker build -t crc-network .   (BuildKit, the default builder since Docker 23)
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# Production dependencies only, in a stage of their own: no compiler, no test tools in the image.
# No install scripts: no production dependency needs one. No optional ones: the only one is the
# PostgreSQL binaries of the local store (libs/infra), which the services never run.
FROM ${NODE_IMAGE} AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
COPY deploy/local ./deploy/local
RUN npm run build

FROM ${NODE_IMAGE}
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3001
WORKDIR /app
# Owned by root and read-only for the service user: the process cannot change its own code, and
# it writes nothing to disk, so the root filesystem can be mounted read-only.
COPY --from=dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# Reference data only, the defaults of CENTERS_FILE, PRODUCT_LINES_FILE and X12_834_MAPPING_FILE. No credentials and no
# seed rosters: production mounts its own credentials (deploy/k8s, docs/runbook.md) and refuses the
# development ones; docker-compose mounts deploy/local/seed for its development system.
COPY deploy/local/seed/centers.json deploy/local/seed/product-lines.json deploy/local/seed/x12-834-mapping.json ./deploy/local/seed/
# The image's `node` user, by number so that Kubernetes can verify runAsNonRoot.
USER 1000:1000
EXPOSE 3001 3002 3003 3004
# Full status (store and Kafka) for `docker ps` and compose's depends_on; Kubernetes probes the
# narrower /health/live and /health/ready instead (see deploy/k8s/base).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=6 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3001)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/apps/checkin/src/main.js"]
