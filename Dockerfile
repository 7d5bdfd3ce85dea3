# syntax=docker/dockerfile:1
# Multi-stage: `api` runs the NestJS api (which also serves the console), `console` is nginx
# with the static console in front of several api instances.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY apps/api/package.json apps/api/
COPY apps/console/package.json apps/console/
COPY libs/domain/package.json libs/domain/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx nx run-many -t build
# nginx sends the same content-security policy as the api: read from the built page.
RUN node apps/api/dist/common/content-security-policy.js apps/console/build > deploy/csp.conf

FROM node:20-bookworm-slim AS api
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/apps/api/package.json apps/api/
COPY --from=build /app/apps/console/package.json apps/console/
COPY --from=build /app/libs/domain/package.json libs/domain/
# No embedded PostgreSQL binaries in production images: they use DATABASE_URL.
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund
COPY --from=build /app/libs/domain/dist libs/domain/dist
COPY --from=build /app/apps/api/dist apps/api/dist
COPY --from=build /app/apps/console/build apps/console/build
USER node
EXPOSE 3000 12300 12300/udp
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:3000/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "apps/api/dist/main.js"]

FROM nginx:1.27-alpine AS console
COPY --from=build /app/apps/console/build /usr/share/nginx/html
COPY deploy/nginx.conf /etc/nginx/conf.d/default.conf
COPY deploy/security-headers.conf /etc/nginx/snippets/security-headers.conf
COPY --from=build /app/deploy/csp.conf /etc/nginx/snippets/csp.conf
