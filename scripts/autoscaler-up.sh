#!/usr/bin/env bash
# Runs `autofarm autoscale POLICY` in the KIND cluster scripts/cluster-up.sh built, beside the farm:
#
#   1. builds the CLI image (Dockerfile at the repository root) and loads it into KIND
#   2. the autoscaler's configuration (a ConfigMap of configuration.yml) and the gateway
#      password (a Secret in the function namespace, read by the autoscaler only)
#   3. kubectl apply -k deploy/autoscaler/ (Deployment under the scaler's least-privilege
#      ServiceAccount, Service with Prometheus scrape annotations), the policy set, rollout waited
#
# Usage: scripts/autoscaler-up.sh POLICY [--skip-build]
#   POLICY: any name `autofarm autoscale --policy` takes (kpa, hpa, keda, queueing, sarsa, ...)
# Then: kubectl -n openfaas-fn port-forward svc/autofarm-autoscaler 9464 and curl 127.0.0.1:9464/metrics
# Re-running is safe: every step updates what exists.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLUSTER_NAME="${AUTOFARM_CLUSTER:-autofarm}"
KUBE_CONTEXT="kind-${CLUSTER_NAME}"
NS=openfaas-fn
# shellcheck source-path=SCRIPTDIR source=../deploy/versions.env
source "$ROOT/deploy/versions.env"
IMAGE="autofarm-cli:${AUTOFARM_IMAGE_TAG}"

log() { printf 'autoscaler-up: %s\n' "$*" >&2; }
die() {
  log "$*"
  exit 2
}
kc() { kubectl --context "$KUBE_CONTEXT" "$@"; }

POLICY=""
SKIP_BUILD=false
for arg in "$@"; do
  case "$arg" in
    --skip-build) SKIP_BUILD=true ;;
    --build) SKIP_BUILD=false ;;
    -h | --help)
      awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
      exit 0
      ;;
    -*) die "unknown option $arg (see --help)" ;;
    *) POLICY="$arg" ;;
  esac
done
[ -n "$POLICY" ] || die "usage: scripts/autoscaler-up.sh POLICY [--skip-build] (e.g. kpa)"
for tool in kubectl kind docker; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is required (see README: Run on a live cluster)"
done
kc get namespace "$NS" >/dev/null 2>&1 || die "no $NS namespace in $KUBE_CONTEXT: run scripts/cluster-up.sh first"

if [ "$SKIP_BUILD" = false ]; then
  log "building $IMAGE"
  docker build -t "$IMAGE" "$ROOT"
  kind load docker-image "$IMAGE" --name "$CLUSTER_NAME"
fi

kc -n "$NS" create configmap autoscaler-config --from-file=configuration.yml="$ROOT/configuration.yml" \
  --dry-run=client -o yaml | kc apply -f -
GATEWAY_PASSWORD="$(kc -n openfaas get secret basic-auth -o jsonpath='{.data.basic-auth-password}' | base64 --decode)"
kc -n "$NS" create secret generic autoscaler-gateway --from-literal=password="$GATEWAY_PASSWORD" \
  --dry-run=client -o yaml | kc apply -f -
kc apply -k "$ROOT/deploy/autoscaler/"
kc -n "$NS" set env deployment/autofarm-autoscaler AUTOSCALE_POLICY="$POLICY"
kc -n "$NS" rollout status deployment/autofarm-autoscaler --timeout=180s
log "autoscaler running policy $POLICY; metrics: kubectl -n $NS port-forward svc/autofarm-autoscaler 9464"
log "decisions: kubectl -n $NS logs -f deployment/autofarm-autoscaler"
