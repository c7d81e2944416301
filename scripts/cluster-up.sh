#!/usr/bin/env bash
# From a machine with Docker, kind, kubectl, helm, faas-cli, Node and pnpm to a running farm:
#
#   1. a KIND cluster (deploy/kind/cluster.yaml, node image pinned in deploy/versions.env)
#   2. namespaces, Redis and the scaler's least-privilege Role (kubectl apply -k deploy/),
#      with a generated Redis password stored as secrets in the redis and openfaas-fn namespaces
#   3. OpenFaaS CE with Helm (chart version pinned, values in deploy/openfaas/values.yaml)
#   4. the function images (scripts/build-functions.sh: bundle, faas-cli build), loaded into KIND
#   5. port-forwards: gateway -> 127.0.0.1:8080, Redis -> 127.0.0.1:6379 (pids in ~/.autofarm)
#   6. faas-cli login and deploy of functions/stack.yml; waits until the pods are ready
#   7. ~/.autofarm/env: KUBECONFIG of the scaler's service account (least privilege), the Redis
#      and gateway passwords, for `source ~/.autofarm/env` before `--backend openfaas`
#
# Re-running is safe: every step skips or updates what already exists.
#   --forward-only   only (re)start the two port-forwards (e.g. after a pod restart)
#   --skip-build     do not rebuild the images (use what KIND already has)
#   --autoscaler POLICY  then run `autofarm autoscale --policy POLICY` in the cluster (scripts/autoscaler-up.sh)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=cluster-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/cluster-lib.sh"

# --autoscaler POLICY (issue 21): taken out here, acted on at the very end.
AUTOSCALER=""
rest=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--autoscaler" ]; then
    [ -n "${2:-}" ] || die "--autoscaler needs a POLICY (e.g. --autoscaler kpa)"
    AUTOSCALER="$2"
    shift 2
  else
    rest+=("$1")
    shift
  fi
done
set -- "${rest[@]+"${rest[@]}"}"

FORWARD_ONLY=false
SKIP_BUILD=false
for arg in "$@"; do
  case "$arg" in
    --forward-only) FORWARD_ONLY=true ;;
    --skip-build) SKIP_BUILD=true ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) die "unknown option $arg (see --help)" ;;
  esac
done

kc() { kubectl --context "$KUBE_CONTEXT" "$@"; }

# start_port_forward NAME NAMESPACE SERVICE LOCAL REMOTE
start_port_forward() {
  local name="$1" ns="$2" svc="$3" local_port="$4" remote_port="$5"
  local pidfile="$STATE_DIR/port-forward-$name.pid" logfile="$STATE_DIR/port-forward-$name.log"
  stop_port_forward "$name"
  if port_open "$local_port"; then
    die "127.0.0.1:$local_port is already in use by another program; free it or set AUTOFARM_$(tr '[:lower:]' '[:upper:]' <<<"$name")_PORT"
  fi
  nohup kubectl --context "$KUBE_CONTEXT" port-forward -n "$ns" "svc/$svc" "$local_port:$remote_port" >"$logfile" 2>&1 &
  echo $! >"$pidfile"
  for _ in $(seq 1 20); do
    port_open "$local_port" && { log "port-forward $name: 127.0.0.1:$local_port -> $ns/$svc:$remote_port (log $logfile)"; return 0; }
    sleep 0.5
  done
  die "port-forward $name did not open 127.0.0.1:$local_port within 10 s; see $logfile"
}

forwards() {
  mkdir -p "$STATE_DIR"
  start_port_forward gateway openfaas gateway "$GATEWAY_PORT" 8080
  start_port_forward redis redis redis-master "$REDIS_LOCAL_PORT" 6379
}

if $FORWARD_ONLY; then
  require_tools kubectl
  forwards
  exit 0
fi

TOOLS=(docker kind kubectl helm faas-cli node pnpm curl)
require_tools "${TOOLS[@]}"
mkdir -p "$STATE_DIR"
chmod 700 "$STATE_DIR"

# 1. cluster
if cluster_exists; then
  log "KIND cluster $CLUSTER_NAME exists"
else
  log "creating KIND cluster $CLUSTER_NAME ($KIND_NODE_IMAGE)"
  kind create cluster --name "$CLUSTER_NAME" --config "$ROOT/deploy/kind/cluster.yaml" --image "$KIND_NODE_IMAGE" --wait 120s
fi

# 2. namespaces, secrets, Redis, RBAC
kc apply -f "$ROOT/deploy/namespaces.yaml"
if kc -n redis get secret redis-auth >/dev/null 2>&1; then
  REDIS_PASSWORD="$(kc -n redis get secret redis-auth -o jsonpath='{.data.password}' | base64 --decode)"
else
  REDIS_PASSWORD="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  kc -n redis create secret generic redis-auth --from-literal=password="$REDIS_PASSWORD"
fi
# The functions read it as an OpenFaaS secret (mounted at /var/openfaas/secrets/redis-password).
kc -n openfaas-fn create secret generic redis-password --from-literal=redis-password="$REDIS_PASSWORD" \
  --dry-run=client -o yaml | kc apply -f -
kc apply -k "$ROOT/deploy"

# 3. OpenFaaS
helm repo add openfaas "$OPENFAAS_CHART_REPO" --force-update >/dev/null
helm repo update openfaas >/dev/null
log "installing OpenFaaS chart $OPENFAAS_CHART_VERSION"
helm upgrade --install openfaas openfaas/openfaas --kube-context "$KUBE_CONTEXT" --namespace openfaas \
  --version "$OPENFAAS_CHART_VERSION" -f "$ROOT/deploy/openfaas/values.yaml" --wait --timeout 10m
kc -n redis rollout status statefulset/redis-master --timeout=180s

# 4. images
if ! $SKIP_BUILD; then
  "$ROOT/scripts/build-functions.sh"
fi

# 5. port-forwards
forwards

# 6. functions
GATEWAY="http://127.0.0.1:$GATEWAY_PORT"
for _ in $(seq 1 30); do
  curl -fsS "$GATEWAY/healthz" >/dev/null 2>&1 && break
  sleep 1
done
OPENFAAS_PASSWORD="$(kc -n openfaas get secret basic-auth -o jsonpath='{.data.basic-auth-password}' | base64 --decode)"
printf '%s' "$OPENFAAS_PASSWORD" | faas-cli login --username admin --password-stdin --gateway "$GATEWAY"
# Run from functions/: faas-cli deploy reads ./template/<lang>/template.yml (the fprocess).
(cd "$ROOT/functions" && faas-cli deploy -f stack.yml --gateway "$GATEWAY")
for fn in "${FUNCTIONS[@]}"; do
  kc -n openfaas-fn rollout status "deployment/$fn" --timeout=180s
done

# 7. credentials for the scaler (the openfaas backend)
CA_FILE="$(mktemp)"
trap 'rm -f "$CA_FILE"' EXIT
kc config view --raw --minify -o jsonpath='{.clusters[0].cluster.certificate-authority-data}' | base64 --decode >"$CA_FILE"
SERVER="$(kc config view --raw --minify -o jsonpath='{.clusters[0].cluster.server}')"
TOKEN="$(kc -n openfaas-fn create token autofarm-scaler --duration=24h)"
SCALER_KUBECONFIG="$STATE_DIR/scaler.kubeconfig"
rm -f "$SCALER_KUBECONFIG"
kubectl config --kubeconfig "$SCALER_KUBECONFIG" set-cluster "$CLUSTER_NAME" --server "$SERVER" \
  --certificate-authority "$CA_FILE" --embed-certs >/dev/null
kubectl config --kubeconfig "$SCALER_KUBECONFIG" set-credentials autofarm-scaler --token "$TOKEN" >/dev/null
kubectl config --kubeconfig "$SCALER_KUBECONFIG" set-context autofarm-scaler --cluster "$CLUSTER_NAME" \
  --user autofarm-scaler --namespace openfaas-fn >/dev/null
kubectl config --kubeconfig "$SCALER_KUBECONFIG" use-context autofarm-scaler >/dev/null
chmod 600 "$SCALER_KUBECONFIG"
umask 077
cat >"$STATE_DIR/env" <<EOF
# written by scripts/cluster-up.sh: source it before running autofarm with --backend openfaas
export KUBECONFIG="$SCALER_KUBECONFIG"
export REDIS_PASSWORD="$REDIS_PASSWORD"
export OPENFAAS_PASSWORD="$OPENFAAS_PASSWORD"
EOF

log "farm is up: gateway $GATEWAY, Redis 127.0.0.1:$REDIS_LOCAL_PORT, functions: ${FUNCTIONS[*]}"
log "next: source $STATE_DIR/env && pnpm autofarm compare-policies --backend openfaas --episodes 1"
log "the scaler token expires in 24 h; re-run this script to renew it"

# --autoscaler POLICY (issue 21): the controller beside the farm, README "Autoscale a live farm".
if [ -n "$AUTOSCALER" ]; then
  "$ROOT/scripts/autoscaler-up.sh" "$AUTOSCALER" "$([ "$SKIP_BUILD" = true ] && echo --skip-build || echo --build)"
fi
