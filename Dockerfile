# The autofarm CLI as a container image: what deploy/autoscaler/ runs (`autofarm autoscale
# --backend openfaas` beside the farm), and any other command. Built by
# scripts/autoscaler-up.sh:  docker build -t autofarm-cli:0.1.0 .
# Two stages: the build stage installs the workspace and compiles it; the runtime stage keeps the
# compiled packages, production dependencies, configuration.yml, scenarios/ and models/.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# The pnpm version scripts/setup.sh pins.
RUN npm install -g pnpm@12.21.0
COPY . .
RUN pnpm install --frozen-lockfile && pnpm build && pnpm prune --prod

FROM node:20-bookworm-slim
WORKDIR /app
COPY --from=build /app /app
# The image's user matches the Deployment's runAsUser (node's uid 1000); the filesystem is read-only there.
USER 1000
EXPOSE 9464
ENTRYPOINT ["node", "/app/packages/cli/dist/bin.js"]
CMD ["--help"]
