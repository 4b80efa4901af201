# syntax=docker/dockerfile:1
# The compose `stack-init` job: runs `stack provision` — the same TypeScript the native stack
# manager runs (Toxiproxy proxies, topics, bootstrap SQL, migrations, publications, connectors).
FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /repo
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
ENTRYPOINT ["npx", "tsx", "infra/stack/src/cli.ts", "provision"]
