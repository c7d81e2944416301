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

# Our own admin kubeconfig, whatever the caller's environment: after `source ~/.autofarm/env`
# (the scaler's least-privilege credentials) or with KUBECONFIG pointing at another cluster,
# every kubectl, helm and kind call of these scripts still talks to our cluster as admin, and
# `kind create/delete cluster` write only this file (issue 19).
ADMIN_KUBECONFIG="$STATE_DIR/admin.kubeconfig"
export KUBECONFIG="$ADMIN_KUBECONFIG"

# The script's header comment (every line up to the first non-comment), as help text.
usage() {
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
}

log() { printf '%s: %s\n' "$(basename "$0")" "$*"; }
die() {
  printf '%s: %s\n' "$(basename "$0")" "$*" >&2
  exit 1
}
# A usage or setup problem the user fixes before running again: one line, exit 2.
fail() {
  printf '%s: %s\n' "$(basename "$0")" "$*" >&2
  exit 2
}

# Where to get each tool (printed when it is missing).
install_hint() {
  case "$1" in
    docker) echo "https://docs.docker.com/engine/install/" ;;
    kind) echo "https://kind.sigs.k8s.io/docs/user/quick-start/#installation ($KIND_VERSION)" ;;
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

# grep without -q reads all of kind's output: with pipefail, `grep -q` exiting at the first match
# could kill kind with SIGPIPE and turn a found cluster into "no cluster".
cluster_exists() {
  kind get clusters 2>/dev/null | grep -x "$CLUSTER_NAME" >/dev/null
}

# (Re)write the admin kubeconfig from kind: always current, even after the cluster was re-created.
use_admin_kubeconfig() {
  cluster_exists || fail "no KIND cluster $CLUSTER_NAME: run scripts/cluster-up.sh first"
  mkdir -p "$STATE_DIR"
  kind export kubeconfig --name "$CLUSTER_NAME" --kubeconfig "$ADMIN_KUBECONFIG" >/dev/null
  chmod 600 "$ADMIN_KUBECONFIG"
}

kc() { kubectl --kubeconfig "$ADMIN_KUBECONFIG" --context "$KUBE_CONTEXT" "$@"; }

# The mode the cluster was set up in (written by cluster-up.sh), default deployments.
saved_mode() {
  if [[ -f "$STATE_DIR/mode" ]]; then cat "$STATE_DIR/mode"; else echo deployments; fi
}

# kind_load IMAGE: put a local image on the KIND node. `kind load docker-image` fails with
# Docker's containerd image store (the default of new Docker Engine 29 / Desktop; kind#3795);
# `docker save` + `kind load image-archive` works with both stores.
kind_load() {
  if kind load docker-image "$1" --name "$CLUSTER_NAME"; then return 0; fi
  log "kind load docker-image $1 failed (kind#3795 with Docker's containerd image store?): retrying through an image archive"
  local archive
  archive="$(mktemp "${TMPDIR:-/tmp}/autofarm-image.XXXXXX")"
  docker save "$1" -o "$archive" && kind load image-archive "$archive" --name "$CLUSTER_NAME"
  local status=$?
  rm -f "$archive"
  return "$status"
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

# stop_port_forward NAME: stop our port-forward and wait (up to 5 s) until it has exited, so a
# new one started right after does not find the port still held by the old listener.
stop_port_forward() {
  local name="$1" file="$STATE_DIR/port-forward-$1.pid" pid
  if pid_is_port_forward "$file"; then
    pid="$(cat "$file")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then log "the $name port-forward (pid $pid) has not exited after 5 s"; fi
    log "stopped the $name port-forward"
  fi
  rm -f "$file"
}
