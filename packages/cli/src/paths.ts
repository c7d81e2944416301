/**
 * Every path flag is checked before its command does anything (one preAction hook in
 * main.ts): a path that cannot be read or written is one line naming the flag, the path and
 * the reason, exit 2, and nothing is written.
 */
import { checkPath, type PathKind } from '@autofarm/runs';

/** Flag (commander's camelCase key) -> how the command uses the path. */
const PATH_FLAGS: Record<string, { flag: string; kind: PathKind }> = {
  out: { flag: '--out', kind: 'write-dir' },
  output: { flag: '--output', kind: 'write-file' },
  config: { flag: '--config', kind: 'read-file' },
  inputDir: { flag: '--input-dir', kind: 'read-dir' },
  model: { flag: '--model', kind: 'read-file' },
  dqnModel: { flag: '--dqn-model', kind: 'read-dir' },
  replayFile: { flag: '--replay-file', kind: 'read-file' },
  baselineCache: { flag: '--baseline-cache', kind: 'read-dir' },
  evaluation: { flag: '--evaluation', kind: 'read-file' },
  // A SARSA file or a DQN directory; missing = "does not exist", not "cannot read it as JSON".
  resumeModel: { flag: '--resume-model', kind: 'read-any' },
};

/**
 * Commands that check their path flags themselves, inside their own error reporting: serve-env
 * answers a bad --config with a protocol error line, which its client reads from stdout.
 */
export const CHECKS_OWN_PATHS = new Set(['serve-env']);

/** Commands whose `--out` is a file they write, not a run directory (no --force, no directory claim). */
export const OUT_IS_FILE = new Set(['convert-trace', 'plot-training']);

/** Commands whose `--model` is a directory (a tfjs model) rather than a file. */
const MODEL_IS_DIR = new Set(['test-dqn']);

/** Throws a UsageError for the first path flag of `command` that cannot be used. */
export function checkPathFlags(command: string, opts: Record<string, unknown>): void {
  for (const [key, { flag, kind }] of Object.entries(PATH_FLAGS)) {
    const value = opts[key];
    if (typeof value !== 'string') continue;
    if (key === 'out' && OUT_IS_FILE.has(command)) checkPath(flag, value, 'write-file');
    else checkPath(flag, value, key === 'model' && MODEL_IS_DIR.has(command) ? 'read-dir' : kind);
  }
}
