# One image for every exchange service; the service is chosen with SERVICE (gateway, ...).
# Used by docker-compose.yml; the local start command does not need Docker.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN npm install -g pnpm@10.33.4
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml .npmrc tsconfig.base.json tsconfig.json ./
COPY services ./services
COPY schemas ./schemas
COPY infra/topics.yaml ./infra/topics.yaml
COPY tests/package.json ./tests/package.json
RUN pnpm install --frozen-lockfile && pnpm run build && pnpm prune --prod

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app /app
USER node
ENV SERVICE=gateway
CMD ["sh", "-c", "exec node services/${SERVICE}/dist/main.js"]
