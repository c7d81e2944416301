#!/usr/bin/env bash
# From a machine with Docker, kind, kubectl, faas-cli, Node and pnpm (and helm for the OpenFaaS
# modes) to a running farm, in one of three modes (README "Run on a live cluster"):
#
#   --mode deployments    (default) the three function images as plain Kubernetes Deployments
#                         (deploy/functions/): the full 1..32-worker experiment, no licence, no
#                         OpenFaaS in the data path or the scaling
#   --mode openfaas-ce    OpenFaaS Community Edition, functions deployed with faas-cli. CE caps a
#                         function at 5 replicas and deploys only public images it pulls itself:
#                         set AUTOFARM_REGISTRY to a public registry path you can push to (e.g.
#                         ghcr.io/you) and use a 5-worker scenario (--scenario five-workers)
#   --mode openfaas-pro   OpenFaaS Standard/Enterprise (deploy/openfaas/values-pro.yaml), 32
#                         workers through faas-cli; needs the licence in $OPENFAAS_LICENSE_FILE
#                         (default ~/.openfaas/LICENSE), stored as secret openfaas-license
#
# Steps: a KIND cluster (node image pinned by digest, kind version checked); namespaces, Redis
# and the scaler's least-privilege Role (deploy/); OpenFaaS with Helm (OpenFaaS modes only); the
# images (scripts/build-functions.sh); port-forwards (Redis -> 127.0.0.1:6379, and the gateway ->
# 127.0.0.1:8080 in the OpenFaaS modes; pids in ~/.autofarm); the functions; and
# ~/.autofarm/env with AUTOFARM_KUBECONFIG (the scaler's kubeconfig) and the passwords, for
# `source ~/.autofarm/env` before `--backend openfaas`. The scripts themselves always use their
# own admin kubeconfig, ~/.autofarm/admin.kubeconfig, whatever KUBECONFIG says.
#
# Re-running is safe: running functions are left alone unless their image changed (then the
# script says which it restarts); the mode is remembered for the options below.
#   --forward-only   only (re)start the port-forwards (e.g. after a pod restart)
#   --renew-token    only renew the scaler's token (valid 24 h) and rewrite ~/.autofarm/env
#   --skip-build     do not rebuild the images (use what KIND or the registry already has)
#   --redeploy       OpenFaaS modes: faas-cli deploy every function again (restarts every pod
#                    and resets the worker to com.openfaas.scale.min)
#   --autoscaler POLICY  then run `autofarm autoscale --policy POLICY` beside the farm
#                    (scripts/autoscaler-up.sh; README "Autoscale a live farm")
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=cluster-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/cluster-lib.sh"
# shellcheck source-path=SCRIPTDIR source=cluster-steps.sh
source "$(dirname "${BASH_SOURCE[0]}")/cluster-steps.sh"

MODE=""
AUTOSCALER=""
FORWARD_ONLY=false
RENEW_TOKEN=false
SKIP_BUILD=false
REDEPLOY=false
while (($# > 0)); do
  case "$1" in
    --mode) MODE="${2:-}" && shift ;;
    --mode=*) MODE="${1#--mode=}" ;;
    --forward-only) FORWARD_ONLY=true ;;
    --renew-token) RENEW_TOKEN=true ;;
    --skip-build) SKIP_BUILD=true ;;
    --redeploy) REDEPLOY=true ;;
    --autoscaler)
      AUTOSCALER="${2:-}"
      [[ -n "$AUTOSCALER" ]] || fail "--autoscaler: expected a POLICY (e.g. --autoscaler kpa), found nothing"
      shift
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done
[[ -n "$MODE" ]] || MODE="$(saved_mode)"
if [[ -f "$STATE_DIR/mode" && "$MODE" != "$(saved_mode)" ]] && ! $FORWARD_ONLY && ! $RENEW_TOKEN; then
  # The functions of one mode would stay in openfaas-fn under the same names as the other's.
  fail "the cluster was set up with --mode $(saved_mode); run scripts/cluster-down.sh first to switch to --mode $MODE"
fi
case "$MODE" in
  deployments | openfaas-ce | openfaas-pro) ;;
  *) fail "--mode: expected deployments, openfaas-ce or openfaas-pro, found '$MODE'" ;;
esac
OPENFAAS=false
[[ "$MODE" == deployments ]] || OPENFAAS=true

if $FORWARD_ONLY; then
  require_tools kind kubectl
  use_admin_kubeconfig
  forwards
  exit 0
fi
if $RENEW_TOKEN; then
  require_tools kind kubectl
  use_admin_kubeconfig
  write_scaler_credentials
  log "scaler token renewed (24 h): source $STATE_DIR/env"
  exit 0
fi

TOOLS=(docker kind kubectl)
if $OPENFAAS; then TOOLS+=(helm); fi
TOOLS+=(faas-cli node pnpm)
if $OPENFAAS; then TOOLS+=(curl); fi
require_tools "${TOOLS[@]}"
if [[ "$MODE" == openfaas-ce && -z "${AUTOFARM_REGISTRY:-}" ]]; then
  fail "--mode openfaas-ce needs AUTOFARM_REGISTRY: a public registry path you can push to (e.g. ghcr.io/you);" \
    "CE deploys only images it can pull anonymously"
fi
LICENSE_FILE="${OPENFAAS_LICENSE_FILE:-$HOME/.openfaas/LICENSE}"
if [[ "$MODE" == openfaas-pro && ! -f "$LICENSE_FILE" ]]; then
  fail "--mode openfaas-pro needs an OpenFaaS Standard/Enterprise licence: no file $LICENSE_FILE (set OPENFAAS_LICENSE_FILE)"
fi
mkdir -p "$STATE_DIR"
chmod 700 "$STATE_DIR"

create_cluster
apply_base
if $OPENFAAS; then install_openfaas; fi
if ! $SKIP_BUILD; then build_images; fi
forwards
deploy_functions
write_scaler_credentials
echo "$MODE" >"$STATE_DIR/mode"

log "farm is up ($MODE): Redis 127.0.0.1:$REDIS_LOCAL_PORT, functions: ${FUNCTIONS[*]}"
if [[ "$MODE" == openfaas-ce ]]; then
  log "next: source $STATE_DIR/env && pnpm autofarm compare-policies --backend openfaas --scenario five-workers --episodes 1"
else
  log "next: source $STATE_DIR/env && pnpm autofarm compare-policies --backend openfaas --episodes 1"
fi
log "the scaler token expires in 24 h: scripts/cluster-up.sh --renew-token"

# --autoscaler POLICY (issue 21): the controller beside the farm.
if [[ -n "$AUTOSCALER" ]]; then
  if $SKIP_BUILD; then "$ROOT/scripts/autoscaler-up.sh" "$AUTOSCALER" --skip-build; else "$ROOT/scripts/autoscaler-up.sh" "$AUTOSCALER"; fi
fi
