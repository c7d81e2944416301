#!/usr/bin/env bash
# Builds the three function images and loads them into the KIND cluster:
#   1. compiles the functions (tsc -b) and bundles each handler folder, functions/<fn>/bundle
#      (scripts/bundle-functions.mjs, what `pnpm build` runs): handler.js with the workspace
#      packages inside, and a package.json of the registry packages the image installs
#   2. faas-cli build in functions/, where stack.yml and template/ are: faas-cli stages
#      build/<fn>/ (template + handler folder) and runs one docker build per function
#   3. kind load docker-image, or docker save + kind load image-archive where that fails (Docker's
#      containerd image store, kind#3795); skipped with --no-load or when there is no cluster yet
#
# Images are named ${AUTOFARM_REGISTRY:-autofarm}/<fn>:<tag> (functions/stack.yml).
#
#   --stage-only       instead of 2 and 3, stage the build contexts as faas-cli would
#                      (scripts/stage-function.mjs; needs only Node and pnpm) and print where
#   --stage-dir DIR    where --stage-only stages (default: a fresh temporary directory)
#   --no-load          build but do not load into KIND
#   --filter NAME      only this function (emitter, worker or collector); may be repeated
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
log "compiling and bundling ${ONLY[*]}"
projects=()
for fn in "${ONLY[@]}"; do projects+=("$ROOT/functions/$fn"); done
(cd "$ROOT" && pnpm exec tsc -b "${projects[@]}" && node scripts/bundle-functions.mjs "${ONLY[@]}")

if $STAGE_ONLY; then
  [[ -n "$STAGE_DIR" ]] || STAGE_DIR="$(mktemp -d "${TMPDIR:-/tmp}/autofarm-functions.XXXXXX")"
  node "$ROOT/scripts/stage-function.mjs" --out "$STAGE_DIR" "${ONLY[@]}"
  log "staged in $STAGE_DIR (what faas-cli build puts in functions/build/)"
  exit 0
fi

# faas-cli resolves handler paths and ./template against its working directory. Its --filter
# takes one pattern, so one build per function.
for fn in "${ONLY[@]}"; do
  (cd "$ROOT/functions" && faas-cli build -f stack.yml --filter "$fn")
done

if $LOAD; then
  if cluster_exists; then
    for fn in "${ONLY[@]}"; do
      kind_load "${AUTOFARM_REGISTRY:-autofarm}/$fn:$AUTOFARM_IMAGE_TAG"
    done
  else
    log "no KIND cluster $CLUSTER_NAME yet: images built but not loaded (scripts/cluster-up.sh loads them)"
  fi
fi
log "done: ${ONLY[*]} (${AUTOFARM_REGISTRY:-autofarm}/<name>:$AUTOFARM_IMAGE_TAG)"
