#!/usr/bin/env bash
# Shared by cluster-up.sh, cluster-down.sh and build-functions.sh: settings, prerequisite checks
# that name everything missing at once, and small helpers. Source it; do not run it.
# The settings are read by the scripts that source this file, not here:
# shellcheck disable=SC2034

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source-path=SCRIPTDIR source=../deploy/versions.env
source "$ROOT/deploy/versions.env"

CLUSTER_NAME="${AUTOFARM_CLUSTER:-autofarm}"
KUBE_CONTEXT="kind-${CLUSTER_NAME}"
STATE_DIR="${AUTOFARM_STATE_DIR:-$HOME/.autofarm}"
GATEWAY_PORT="${AUTOFARM_GATEWAY_PORT:-8080}"
REDIS_LOCAL_PORT="${AUTOFARM_REDIS_PORT:-6379}"
FUNCTIONS=(emitter worker collector)

# The script's header comment (every line up to the first non-comment), as help text.
usage() {
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
}

log() { printf '%s: %s\n' "$(basename "$0")" "$*"; }
die() {
  printf '%s: %s\n' "$(basename "$0")" "$*" >&2
  exit 1
}

# Where to get each tool (printed when it is missing).
install_hint() {
  case "$1" in
    docker) echo "https://docs.docker.com/engine/install/" ;;
    kind) echo "https://kind.sigs.k8s.io/docs/user/quick-start/#installation" ;;
    kubectl) echo "https://kubernetes.io/docs/tasks/tools/" ;;
    helm) echo "https://helm.sh/docs/intro/install/" ;;
    faas-cli) echo "https://github.com/openfaas/faas-cli/releases (or: curl -sSL https://cli.openfaas.com | sh)" ;;
    node) echo "Node.js >= 20, https://nodejs.org/" ;;
    pnpm) echo "scripts/setup.sh installs it" ;;
    *) echo "install it with your package manager" ;;
  esac
}

# require_tools TOOL...: exit 2 naming every missing tool (and, for docker, a daemon that does
# not answer), so one run tells the user everything to install.
require_tools() {
  local missing=() tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  if ((${#missing[@]} > 0)); then
    {
      printf '%s: missing prerequisites: %s\n' "$(basename "$0")" "${missing[*]}"
      for tool in "${missing[@]}"; do printf '  %-9s %s\n' "$tool" "$(install_hint "$tool")"; done
    } >&2
    exit 2
  fi
  if [[ " $* " == *" docker "* ]] && ! docker info >/dev/null 2>&1; then
    printf '%s: docker is installed but its daemon does not answer (docker info failed); start Docker and retry\n' "$(basename "$0")" >&2
    exit 2
  fi
}

cluster_exists() {
  kind get clusters 2>/dev/null | grep -qx "$CLUSTER_NAME"
}

# port_open PORT: true if something accepts TCP on 127.0.0.1:PORT.
port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# pid_is_port_forward PIDFILE: true if the PID in the file is a live kubectl port-forward (so
# we never signal an unrelated process that reused the PID).
pid_is_port_forward() {
  local pid
  [[ -f "$1" ]] || return 1
  pid="$(cat "$1")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'port-forward' && return 0
  ps -p "$pid" -o args= 2>/dev/null | grep -q 'port-forward'
}

stop_port_forward() {
  local name="$1" file="$STATE_DIR/port-forward-$1.pid"
  if pid_is_port_forward "$file"; then
    kill "$(cat "$file")" 2>/dev/null || true
    log "stopped the $name port-forward"
  fi
  rm -f "$file"
}
