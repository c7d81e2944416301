/**
 * Test helper: stand-in kubectl, kind, helm, faas-cli, docker, pnpm and curl for running the
 * cluster scripts without a cluster. Each appends one line per call to $STANDIN_LOG: the tool,
 * its arguments, and the KUBECONFIG it was given (so a test can check which kubeconfig every
 * call used), and answers just enough for the scripts to go on:
 *   kubectl  secrets (redis-pw, gw-pw), config view, a token, `config --kubeconfig F ...`
 *            appended to F, and port-forward as a real listener on the local port
 *   kind     `get clusters` (autofarm unless STANDIN_NO_CLUSTER), `export kubeconfig`, `version`
 *            ($STANDIN_KIND_VERSION, default the pinned v0.24.0)
 *   docker   `image inspect` prints $STANDIN_IMAGE_ID
 * STANDIN_MISSING names deployments `kubectl get deployment/<name>` reports absent.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LOG = `printf '%s\\t%s\\tKUBECONFIG=%s\\n' "$(basename "$0")" "$*" "\${KUBECONFIG-}" >>"$STANDIN_LOG"`;

const scripts: Record<string, string> = {
  kubectl: `${LOG}
case "$*" in
  *port-forward*)
    for a; do last="$a"; done
    exec node -e 'require("net").createServer((s) => s.end()).listen(Number(process.argv[1]), "127.0.0.1")' "\${last%%:*}" port-forward ;;
  *"get secret redis-auth -o"*) printf 'cmVkaXMtcHc=' ;;
  *"get secret basic-auth -o"*) printf 'Z3ctcHc=' ;;
  *certificate-authority-data*) printf 'Q0E=' ;;
  *cluster.server*) printf 'https://127.0.0.1:6443' ;;
  *"create token"*) printf 'tok-123' ;;
  "config --kubeconfig "*) echo "$*" >>"$3" ;;
  *"get deployment/"*)
    for a; do last="$a"; done
    case " \${STANDIN_MISSING-} " in *" \${last#deployment/} "*) exit 1 ;; esac ;;
  *"create secret"*"--dry-run"*) echo "kind: Secret" ;;
  *"apply -f -"*) cat >/dev/null ;;
esac
exit 0`,
  kind: `${LOG}
case "$1" in
  get) [ -n "\${STANDIN_NO_CLUSTER-}" ] || echo autofarm ;;
  export)
    for a; do [ "\${prev-}" = --kubeconfig ] && file="$a"; prev="$a"; done
    echo "admin kubeconfig from kind" >"$file" ;;
  version) echo "kind \${STANDIN_KIND_VERSION:-v0.24.0} go1.22.6 linux/amd64" ;;
esac
exit 0`,
  docker: `${LOG}
case "$*" in "image inspect"*) echo "\${STANDIN_IMAGE_ID:-sha256:0}" ;; esac
exit 0`,
  helm: `${LOG}\nexit 0`,
  'faas-cli':
    `printf '%s\\t%s\\tKUBECONFIG=%s AUTOFARM_REGISTRY=%s AUTOFARM_WORKER_MAX=%s\\n' faas-cli "$*" ` +
    `"\${KUBECONFIG-}" "\${AUTOFARM_REGISTRY-}" "\${AUTOFARM_WORKER_MAX-}" >>"$STANDIN_LOG"\nexit 0`,
  pnpm: `${LOG}\nexit 0`,
  curl: `${LOG}\nexit 0`,
};

/** The plain utilities the scripts use, linked from the system. */
const UTILITIES = ['dirname', 'basename', 'cat', 'tr', 'grep', 'ps', 'rm', 'sed', 'mkdir', 'sleep', 'awk', 'seq', 'chmod', 'mktemp'];
const MORE = ['base64', 'head', 'od', 'mv', 'env', 'nohup', 'node', 'sh'];

export interface StandIns {
  /** PATH holding only the utilities and the stand-ins. */
  path: string;
  home: string;
  /** The file every call is logged to. */
  log: string;
  /** The logged calls: tool, arguments, environment. */
  calls(): Array<{ tool: string; args: string; env: string }>;
}

export function standIns(): StandIns {
  const dir = mkdtempSync(join(tmpdir(), 'af-standin-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const tool of [...UTILITIES, ...MORE]) {
    const found = spawnSync('/bin/sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
    if (found) symlinkSync(found, join(bin, tool));
  }
  for (const [name, body] of Object.entries(scripts)) {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  const log = join(dir, 'calls.log');
  writeFileSync(log, '');
  return {
    path: bin,
    home: join(dir, 'home'),
    log,
    calls: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => {
          const [tool = '', args = '', env = ''] = l.split('\t');
          return { tool, args, env };
        }),
  };
}
