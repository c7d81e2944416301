#!/usr/bin/env bash
# Builds the three function images and loads them into the KIND cluster:
#   1. compiles the functions and the packages they use (tsc -b)
#   2. stages a self-contained faas-cli project (scripts/stage-function.mjs): stack.yml, the
#      node20-longrun template, and per function its compiled handler, its workspace packages
#      (built) and a package.json of its registry dependencies at the installed versions
#   3. faas-cli build in the staged project (one docker build per function)
#   4. kind load docker-image (skipped with --no-load, or when the cluster does not exist yet)
#
#   --stage-only       stop after step 2 (needs only Node and pnpm) and print the directory
#   --stage-dir DIR    where to stage (default: a fresh temporary directory)
#   --no-load          build but do not load into KIND
#   --filter NAME      only this function (emitter, worker or collector)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=cluster-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/cluster-lib.sh"

STAGE_ONLY=false
LOAD=true
STAGE_DIR=""
ONLY=()
while (($# > 0)); do
  case "$1" in
    --stage-only) STAGE_ONLY=true ;;
    --no-load) LOAD=false ;;
    --stage-dir)
      STAGE_DIR="${2:?--stage-dir needs a directory}"
      shift
      ;;
    --filter)
      ONLY+=("${2:?--filter needs a function name}")
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
((${#ONLY[@]} > 0)) || ONLY=("${FUNCTIONS[@]}")
for fn in "${ONLY[@]}"; do
  [[ " ${FUNCTIONS[*]} " == *" $fn "* ]] || die "unknown function $fn (expected one of: ${FUNCTIONS[*]})"
done

if $STAGE_ONLY; then
  require_tools node pnpm
else
  require_tools node pnpm docker faas-cli
  if $LOAD; then require_tools kind; fi
fi
[[ -n "$STAGE_DIR" ]] || STAGE_DIR="$(mktemp -d "${TMPDIR:-/tmp}/autofarm-functions.XXXXXX")"

log "compiling ${ONLY[*]}"
projects=()
for fn in "${ONLY[@]}"; do projects+=("$ROOT/functions/$fn"); done
(cd "$ROOT" && pnpm exec tsc -b "${projects[@]}")

node "$ROOT/scripts/stage-function.mjs" --out "$STAGE_DIR" "${ONLY[@]}"
if $STAGE_ONLY; then
  log "staged in $STAGE_DIR (build with: cd $STAGE_DIR && faas-cli build -f stack.yml)"
  exit 0
fi

filters=()
for fn in "${ONLY[@]}"; do filters+=(--filter "$fn"); done
if ((${#ONLY[@]} == ${#FUNCTIONS[@]})); then filters=(); fi
(cd "$STAGE_DIR" && faas-cli build -f stack.yml "${filters[@]}")

if $LOAD; then
  if cluster_exists; then
    for fn in "${ONLY[@]}"; do
      kind load docker-image "autofarm/$fn:$AUTOFARM_IMAGE_TAG" --name "$CLUSTER_NAME"
    done
  else
    log "no KIND cluster $CLUSTER_NAME yet: images built but not loaded (scripts/cluster-up.sh loads them)"
  fi
fi
log "done: ${ONLY[*]} (autofarm/<name>:$AUTOFARM_IMAGE_TAG)"
