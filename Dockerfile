# The article-ingest image: the `ingest` command, built once, run as worker, fetcher or CLI.
FROM node:24-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The full image has python3, make and g++ in case better-sqlite3 must compile from source.
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
RUN mkdir -p /data && chown node:node /data
USER node
ENTRYPOINT ["node", "bin/ingest.js"]
CMD ["worker", "--role", "all"]
