#!/usr/bin/env bash
# Sets up a fresh machine: pnpm (pinned), redis-server where the package manager allows it
# (only the local backend and its tests need it), dependencies from the lockfile, and the build.
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM_VERSION=12.21.0

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm $PNPM_VERSION"
  npm install -g "pnpm@$PNPM_VERSION" >/dev/null
fi

if ! command -v redis-server >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "setup: installing redis-server"
    (apt-get update -qq && apt-get install -y -qq redis-server >/dev/null) || echo "setup: could not install redis-server; the sim backend works without it"
  else
    echo "setup: redis-server not found; install it for the local backend (the sim backend works without it)"
  fi
fi

pnpm install --frozen-lockfile
pnpm build
