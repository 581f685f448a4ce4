# Image for the edge service, the purge worker and the hub (same code, different command).
# Model weights are not baked in: mount them read-only at /models (see docker-compose.yml).
FROM node:20-bookworm-slim

# ffmpeg decodes camera streams; fonts render planner maps; build tools compile better-sqlite3.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg fonts-dejavu-core fontconfig python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
ENV NODE_ENV=production \
    ALPR_CONFIG=/etc/alpr/alpr.yaml
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && apt-get purge -y make g++ && apt-get autoremove -y
# sim/ (synthetic plates, simulated cameras, the demo) is demo, test and benchmark tooling: left out.
COPY bin ./bin
COPY cli ./cli
COPY edge ./edge
COPY hub ./hub
COPY worker ./worker
COPY shared ./shared
COPY tools ./tools
COPY models/manifest.json models/*.ts ./models/
COPY tsconfig.json ./

# Run as an unprivileged user; the data volume is owned by it.
RUN useradd --system --uid 10001 --home /var/lib/alpr alpr && mkdir -p /var/lib/alpr && chown alpr /var/lib/alpr
USER alpr
VOLUME ["/var/lib/alpr"]
EXPOSE 9464 9465 9470
ENTRYPOINT ["node", "bin/alpr.mjs"]
CMD ["--help"]
