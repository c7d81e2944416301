#!/usr/bin/env bash
# The steps of scripts/cluster-up.sh, one function each. Source it after cluster-lib.sh; the
# caller sets MODE, OPENFAAS (true in the OpenFaaS modes), REDEPLOY and LICENSE_FILE.
# shellcheck disable=SC2154

# start_port_forward NAME NAMESPACE SERVICE LOCAL REMOTE
start_port_forward() {
  local name="$1" ns="$2" svc="$3" local_port="$4" remote_port="$5"
  local pidfile="$STATE_DIR/port-forward-$name.pid" logfile="$STATE_DIR/port-forward-$name.log"
  stop_port_forward "$name"
  if port_open "$local_port"; then
    fail "127.0.0.1:$local_port is already in use by another program; free it or set AUTOFARM_$(tr '[:lower:]' '[:upper:]' <<<"$name")_PORT"
  fi
  nohup kubectl --kubeconfig "$ADMIN_KUBECONFIG" --context "$KUBE_CONTEXT" port-forward -n "$ns" "svc/$svc" \
    "$local_port:$remote_port" >"$logfile" 2>&1 &
  echo $! >"$pidfile"
  for _ in $(seq 1 20); do
    port_open "$local_port" && { log "port-forward $name: 127.0.0.1:$local_port -> $ns/$svc:$remote_port (log $logfile)"; return 0; }
    sleep 0.5
  done
  die "port-forward $name did not open 127.0.0.1:$local_port within 10 s; see $logfile"
}

# Redis always; the gateway only where OpenFaaS is installed.
forwards() {
  mkdir -p "$STATE_DIR"
  if $OPENFAAS; then start_port_forward gateway openfaas gateway "$GATEWAY_PORT" 8080; else stop_port_forward gateway; fi
  start_port_forward redis redis redis-master "$REDIS_LOCAL_PORT" 6379
}

create_cluster() {
  if cluster_exists; then
    log "KIND cluster $CLUSTER_NAME exists"
  else
    local image="${AUTOFARM_KIND_NODE_IMAGE:-$KIND_NODE_IMAGE}" found
    found="$(kind version 2>/dev/null | awk '{ print $2 }')"
    if [[ -z "${AUTOFARM_KIND_NODE_IMAGE:-}" && "$found" != "$KIND_VERSION" ]]; then
      fail "kind ${found:-(unknown version)} found, but the pinned node image is built for kind $KIND_VERSION:" \
        "install kind $KIND_VERSION, or set AUTOFARM_KIND_NODE_IMAGE to the node image your kind release's notes list"
    fi
    log "creating KIND cluster $CLUSTER_NAME ($image)"
    kind create cluster --name "$CLUSTER_NAME" --config "$ROOT/deploy/kind/cluster.yaml" --image "$image" \
      --kubeconfig "$ADMIN_KUBECONFIG" --wait 120s
  fi
  use_admin_kubeconfig
}

# Namespaces, the Redis password (as secrets in redis and openfaas-fn), Redis and the scaler's Role.
apply_base() {
  local password
  kc apply -f "$ROOT/deploy/namespaces.yaml"
  if kc -n redis get secret redis-auth >/dev/null 2>&1; then
    password="$(kc -n redis get secret redis-auth -o jsonpath='{.data.password}' | base64 --decode)"
  else
    password="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    kc -n redis create secret generic redis-auth --from-literal=password="$password"
  fi
  # The functions read it as an OpenFaaS secret (mounted at /var/openfaas/secrets/redis-password).
  kc -n openfaas-fn create secret generic redis-password --from-literal=redis-password="$password" \
    --dry-run=client -o yaml | kc apply -f -
  kc apply -k "$ROOT/deploy"
  kc -n redis rollout status statefulset/redis-master --timeout=180s
}

install_openfaas() {
  local values=(-f "$ROOT/deploy/openfaas/values.yaml")
  if [[ "$MODE" == openfaas-pro ]]; then
    values+=(-f "$ROOT/deploy/openfaas/values-pro.yaml")
    kc -n openfaas create secret generic openfaas-license --from-file license="$LICENSE_FILE" \
      --dry-run=client -o yaml | kc apply -f -
  fi
  helm repo add openfaas "$OPENFAAS_CHART_REPO" --force-update >/dev/null
  helm repo update openfaas >/dev/null
  log "installing OpenFaaS chart $OPENFAAS_CHART_VERSION ($MODE)"
  helm upgrade --install openfaas openfaas/openfaas --kubeconfig "$ADMIN_KUBECONFIG" --kube-context "$KUBE_CONTEXT" \
    --namespace openfaas --version "$OPENFAAS_CHART_VERSION" "${values[@]}" --wait --timeout 10m
}

# The image a function runs in this mode (stack.yml: ${AUTOFARM_REGISTRY:-autofarm}/<fn>:<tag>).
image_of() {
  if [[ "$MODE" == openfaas-ce ]]; then echo "$AUTOFARM_REGISTRY/$1:$AUTOFARM_IMAGE_TAG"; else echo "autofarm/$1:$AUTOFARM_IMAGE_TAG"; fi
}

# CE pulls every function image from its registry (PullAlways): build, then push. The other
# modes side-load them into KIND (kind load, IfNotPresent).
build_images() {
  if [[ "$MODE" == openfaas-ce ]]; then
    AUTOFARM_REGISTRY="$AUTOFARM_REGISTRY" "$ROOT/scripts/build-functions.sh" --no-load
    log "pushing the images to $AUTOFARM_REGISTRY (it must be public: CE checks anonymously)"
    (cd "$ROOT/functions" && AUTOFARM_REGISTRY="$AUTOFARM_REGISTRY" faas-cli push -f stack.yml)
  else
    env -u AUTOFARM_REGISTRY "$ROOT/scripts/build-functions.sh"
  fi
}

# image_changed FN: true if the local image differs from the one last deployed (recorded id).
image_changed() {
  local id old=""
  id="$(docker image inspect -f '{{.Id}}' "$(image_of "$1")" 2>/dev/null || true)"
  [[ -f "$STATE_DIR/image-$1.id" ]] && old="$(cat "$STATE_DIR/image-$1.id")"
  [[ -n "$id" ]] && echo "$id" >"$STATE_DIR/image-$1.id.new"
  [[ -n "$id" && -n "$old" && "$id" != "$old" ]]
}

record_images() {
  local fn
  for fn in "${FUNCTIONS[@]}"; do
    if [[ -f "$STATE_DIR/image-$fn.id.new" ]]; then mv "$STATE_DIR/image-$fn.id.new" "$STATE_DIR/image-$fn.id"; fi
  done
}

deploy_functions() {
  local fn
  if ! $OPENFAAS; then
    # kubectl apply changes nothing that is already as the manifests say (and the worker
    # manifest has no replicas field, so the scaler's count stays).
    kc apply -k "$ROOT/deploy/functions"
    for fn in "${FUNCTIONS[@]}"; do
      if image_changed "$fn"; then
        log "restarting $fn: its image changed"
        kc -n openfaas-fn rollout restart "deployment/$fn"
      fi
    done
  else
    deploy_openfaas_functions
  fi
  record_images
  for fn in "${FUNCTIONS[@]}"; do
    kc -n openfaas-fn rollout status "deployment/$fn" --timeout=180s
  done
}

# faas-cli deploy of an existing function writes a new uid pod label (every pod restarts) and
# resets replicas to com.openfaas.scale.min, so only new or changed functions are deployed.
deploy_openfaas_functions() {
  local gateway="http://127.0.0.1:$GATEWAY_PORT" password fn todo=() kept=()
  for _ in $(seq 1 30); do
    curl -fsS "$gateway/healthz" >/dev/null 2>&1 && break
    sleep 1
  done
  password="$(kc -n openfaas get secret basic-auth -o jsonpath='{.data.basic-auth-password}' | base64 --decode)"
  printf '%s' "$password" | faas-cli login --username admin --password-stdin --gateway "$gateway"
  for fn in "${FUNCTIONS[@]}"; do
    if ! kc -n openfaas-fn get "deployment/$fn" >/dev/null 2>&1; then
      todo+=("$fn")
    elif image_changed "$fn"; then
      log "redeploying $fn: its image changed (faas-cli deploy restarts all its pods)"
      todo+=("$fn")
    elif $REDEPLOY; then
      todo+=("$fn")
    else
      kept+=("$fn")
    fi
  done
  ((${#kept[@]} == 0)) || log "left running: ${kept[*]} (same image; --redeploy deploys them again, restarting every pod)"
  # CE refuses com.openfaas.scale.max above 5; Standard takes the full 32.
  local worker_max=5
  [[ "$MODE" == openfaas-pro ]] && worker_max=32
  for fn in "${todo[@]}"; do
    # Run from functions/: faas-cli deploy reads ./template/<lang>/template.yml (the fprocess).
    (cd "$ROOT/functions" && AUTOFARM_REGISTRY="${AUTOFARM_REGISTRY:-autofarm}" AUTOFARM_WORKER_MAX="$worker_max" \
      faas-cli deploy -f stack.yml --gateway "$gateway" --filter "$fn")
  done
}

# The scaler's kubeconfig (least privilege, token valid 24 h) and ~/.autofarm/env. The env file
# exports AUTOFARM_KUBECONFIG, never KUBECONFIG: sourcing it must not change where kubectl (or
# these scripts) point.
write_scaler_credentials() {
  local redis_password openfaas_password="" ca_file server token scaler="$STATE_DIR/scaler.kubeconfig"
  redis_password="$(kc -n redis get secret redis-auth -o jsonpath='{.data.password}' | base64 --decode)"
  if [[ "$MODE" != deployments ]]; then
    openfaas_password="$(kc -n openfaas get secret basic-auth -o jsonpath='{.data.basic-auth-password}' | base64 --decode)"
  fi
  ca_file="$(mktemp)"
  kc config view --raw --minify -o jsonpath='{.clusters[0].cluster.certificate-authority-data}' | base64 --decode >"$ca_file"
  server="$(kc config view --raw --minify -o jsonpath='{.clusters[0].cluster.server}')"
  token="$(kc -n openfaas-fn create token autofarm-scaler --duration=24h)"
  rm -f "$scaler"
  kubectl config --kubeconfig "$scaler" set-cluster "$CLUSTER_NAME" --server "$server" \
    --certificate-authority "$ca_file" --embed-certs >/dev/null
  rm -f "$ca_file"
  kubectl config --kubeconfig "$scaler" set-credentials autofarm-scaler --token "$token" >/dev/null
  kubectl config --kubeconfig "$scaler" set-context autofarm-scaler --cluster "$CLUSTER_NAME" \
    --user autofarm-scaler --namespace openfaas-fn >/dev/null
  kubectl config --kubeconfig "$scaler" use-context autofarm-scaler >/dev/null
  chmod 600 "$scaler"
  (
    umask 077
    {
      echo "# written by scripts/cluster-up.sh ($MODE): source it before running autofarm with --backend openfaas"
      echo "# (AUTOFARM_KUBECONFIG is read by autofarm only; kubectl keeps your own KUBECONFIG)"
      echo "export AUTOFARM_KUBECONFIG=\"$scaler\""
      echo "export REDIS_PASSWORD=\"$redis_password\""
      [[ -z "$openfaas_password" ]] || echo "export OPENFAAS_PASSWORD=\"$openfaas_password\""
    } >"$STATE_DIR/env"
  )
}
