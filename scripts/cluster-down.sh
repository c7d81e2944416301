#!/usr/bin/env bash
# Removes what scripts/cluster-up.sh created: stops the port-forwards (only processes whose
# pid file it wrote and that are still kubectl port-forwards), deletes the KIND cluster (and
# with it OpenFaaS, Redis and the functions), and removes ~/.autofarm's kubeconfigs (admin and
# scaler), env file and remembered mode. Your own KUBECONFIG is never touched.
#   --forwards-only   only stop the port-forwards, keep the cluster
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=cluster-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/cluster-lib.sh"

FORWARDS_ONLY=false
for arg in "$@"; do
  case "$arg" in
    --forwards-only) FORWARDS_ONLY=true ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) die "unknown option $arg (see --help)" ;;
  esac
done

stop_port_forward gateway
stop_port_forward redis
$FORWARDS_ONLY && exit 0

require_tools docker kind
if cluster_exists; then
  kind delete cluster --name "$CLUSTER_NAME"
else
  log "no KIND cluster named $CLUSTER_NAME"
fi
rm -f "$STATE_DIR/scaler.kubeconfig" "$ADMIN_KUBECONFIG" "$STATE_DIR/env" "$STATE_DIR/mode" "$STATE_DIR"/image-*.id \
  "$STATE_DIR"/port-forward-*.log
log "removed"
