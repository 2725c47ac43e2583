# userdouble: local emulator of the Zendesk and User.com user APIs (README.md, "Docker").
#   docker build -t userdouble:local .
#   docker run --rm -p 127.0.0.1:8080:8080 -v userdouble-data:/data userdouble:local
# NODE_IMAGE lets a machine without registry access build on a local Node base image that has a `node` user.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
ENV npm_config_update_notifier=false
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts stay off for the whole tree (prepare would build before the sources are here); only
# better-sqlite3's native module is built. It downloads a prebuilt binary when one fits this Node and
# platform, and otherwise compiles, so a compiler is installed only when that first attempt fails
# (the official slim images have none).
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && (npm rebuild better-sqlite3 \
     || (apt-get update \
         && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 make g++ \
         && rm -rf /var/lib/apt/lists/* \
         && npm rebuild better-sqlite3))
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts/bundle.ts ./scripts/
RUN npm run build \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && node -e "require('better-sqlite3')(':memory:').prepare('select 1').get()"

FROM ${NODE_IMAGE} AS runtime
# Behind a reverse proxy (TLS, another host name), let it decide the URLs userdouble gives out
# (Location, url, pagination links, base URLs) by trusting its X-Forwarded-Proto/-Host:
# `-e TRUST_PROXY=<the proxy's address or CIDR>` (or `on` to trust any peer). Unset (`off`),
# those headers are ignored and the Host header alone counts.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATABASE_PATH=/data/userdouble.sqlite
WORKDIR /app
# Code and dependencies stay owned by root, so the node user can read them but not change them.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The committed OpenAPI documents: /__mock/openapi/*.json serves them.
COPY openapi ./openapi
# The web inspector's page (/__mock/ui): plain files, no build.
COPY ui ./ui
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 8080
# Slim images have no curl: node's own fetch asks the health endpoint on whatever PORT is in force.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/__mock/health',{signal:AbortSignal.timeout(4000)}).then(r=>r.json().then(b=>r.ok&&b.status==='ok')).then(ok=>process.exit(ok?0:1),()=>process.exit(1))"]
# Exec form: node is PID 1 and gets SIGTERM itself; it drains requests, closes SQLite and exits 0.
CMD ["node", "dist/server.js"]
