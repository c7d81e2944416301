#!/usr/bin/env bash
# Sets up a fresh machine: pnpm (pinned), redis-server and shellcheck where the package manager
# allows it (only the local backend and the tests need them), dependencies from the lockfile,
# and the build.
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM_VERSION=12.21.0

if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm $PNPM_VERSION"
  npm install -g "pnpm@$PNPM_VERSION" >/dev/null
fi

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
command -v prometheus >/dev/null 2>&1 || missing+=(prometheus) # autoscale: scraped by its metrics test
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "setup: installing ${missing[*]}"
    (apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null) ||
      echo "setup: could not install ${missing[*]}; the sim backend works without them"
  else
    echo "setup: ${missing[*]} not found; install them for the local backend and the tests (the sim backend works without them)"
  fi
fi

pnpm install --frozen-lockfile
pnpm build
