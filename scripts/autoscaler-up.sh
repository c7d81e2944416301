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
# Re-running is safe: every step updates what exists. Like cluster-up.sh it uses its own admin
# kubeconfig (~/.autofarm/admin.kubeconfig), whatever KUBECONFIG says.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=cluster-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/cluster-lib.sh"
NS=openfaas-fn
IMAGE="autofarm-cli:${AUTOFARM_IMAGE_TAG}"

POLICY=""
SKIP_BUILD=false
for arg in "$@"; do
  case "$arg" in
    --skip-build) SKIP_BUILD=true ;;
    --build) SKIP_BUILD=false ;;
    -h | --help)
      usage
      exit 0
      ;;
    -*) fail "unknown option $arg (see --help)" ;;
    *) POLICY="$arg" ;;
  esac
done
[ -n "$POLICY" ] || fail "usage: scripts/autoscaler-up.sh POLICY [--skip-build] (e.g. kpa)"
if $SKIP_BUILD; then require_tools kind kubectl; else require_tools docker kind kubectl; fi
use_admin_kubeconfig
kc get namespace "$NS" >/dev/null 2>&1 || die "no $NS namespace in $KUBE_CONTEXT: run scripts/cluster-up.sh first"

if [ "$SKIP_BUILD" = false ]; then
  log "building $IMAGE"
  docker build -t "$IMAGE" "$ROOT"
  kind_load "$IMAGE"
fi

kc -n "$NS" create configmap autoscaler-config --from-file=configuration.yml="$ROOT/configuration.yml" \
  --dry-run=client -o yaml | kc apply -f -
# The gateway password exists only in the OpenFaaS modes; under --mode deployments it stays empty.
GATEWAY_PASSWORD=""
if kc -n openfaas get secret basic-auth >/dev/null 2>&1; then
  GATEWAY_PASSWORD="$(kc -n openfaas get secret basic-auth -o jsonpath='{.data.basic-auth-password}' | base64 --decode)"
fi
kc -n "$NS" create secret generic autoscaler-gateway --from-literal=password="$GATEWAY_PASSWORD" \
  --dry-run=client -o yaml | kc apply -f -
kc apply -k "$ROOT/deploy/autoscaler/"
kc -n "$NS" set env deployment/autofarm-autoscaler AUTOSCALE_POLICY="$POLICY"
kc -n "$NS" rollout status deployment/autofarm-autoscaler --timeout=180s
log "autoscaler running policy $POLICY; metrics: kubectl -n $NS port-forward svc/autofarm-autoscaler 9464"
log "decisions: kubectl -n $NS logs -f deployment/autofarm-autoscaler"
