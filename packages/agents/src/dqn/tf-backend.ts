/**
 * Which TensorFlow.js backend runs the DQN. Preference order for `auto`:
 *   1. `tensorflow` from @tensorflow/tfjs-node (native libtensorflow) — only if it is installed;
 *      it cannot be installed on our build machines, so it is probed with a dynamic import;
 *   2. `wasm` from @tensorflow/tfjs-backend-wasm (measured ~2-3x the cpu backend here);
 *   3. `cpu`, tfjs's pure-JS backend, as the last resort.
 * The environment variable AUTOFARM_TF_BACKEND (auto | tensorflow | wasm | cpu) overrides the
 * caller's preference. The backend is chosen once per process; the choice is printed on stderr.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

export type TfBackendName = 'tensorflow' | 'wasm' | 'cpu';
export type TfBackendPreference = 'auto' | TfBackendName;

const PREFERENCES: readonly TfBackendPreference[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

let wasmRegistered = false;
let announced: string | null = null;

async function tryTensorflow(): Promise<boolean> {
  try {
    // A variable specifier keeps TypeScript and bundlers from resolving a package we do not depend on.
    const name = '@tensorflow/tfjs-node';
    await import(name);
    return tf.findBackend('tensorflow') !== null && (await tf.setBackend('tensorflow'));
  } catch {
    return false;
  }
}

async function tryWasm(): Promise<boolean> {
  try {
    if (!wasmRegistered) {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      // In Node the .wasm binaries are read from disk: point the backend at the package's dist/.
      const require = createRequire(import.meta.url);
      const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
      wasm.setWasmPaths(dist);
      wasmRegistered = true;
    }
    return await tf.setBackend('wasm');
  } catch {
    return false;
  }
}

function parsePreference(value: string | undefined, fallback: TfBackendPreference): TfBackendPreference {
  if (value === undefined || value === '') return fallback;
  if ((PREFERENCES as readonly string[]).includes(value)) return value as TfBackendPreference;
  throw new RangeError(`AUTOFARM_TF_BACKEND: expected one of ${PREFERENCES.join(', ')}, found "${value}"`);
}

/**
 * Select (once) and return the backend. Asking for a specific backend that cannot start falls
 * back down the list (tensorflow -> wasm -> cpu) and says so on stderr.
 */
export async function initTf(preference: TfBackendPreference = 'auto', options: { quiet?: boolean } = {}): Promise<TfBackendName> {
  const wanted = parsePreference(process.env.AUTOFARM_TF_BACKEND, preference);
  const order: TfBackendName[] =
    wanted === 'auto' || wanted === 'tensorflow' ? ['tensorflow', 'wasm', 'cpu'] : wanted === 'wasm' ? ['wasm', 'cpu'] : ['cpu'];
  let chosen: TfBackendName = 'cpu';
  for (const name of order) {
    if (tf.getBackend() === name && tf.findBackend(name) !== null) {
      chosen = name;
      break;
    }
    const ok = name === 'tensorflow' ? await tryTensorflow() : name === 'wasm' ? await tryWasm() : await tf.setBackend('cpu');
    if (ok) {
      chosen = name;
      break;
    }
  }
  await tf.ready();
  const note = wanted !== 'auto' && wanted !== chosen ? ` (asked for ${wanted}, not available)` : '';
  const line = `dqn: TensorFlow.js backend ${chosen}${note}`;
  if (!options.quiet && announced !== line) process.stderr.write(`${line}\n`);
  announced = line;
  return chosen;
}

/** Live tensors in the tfjs engine (flat over training if every op is disposed). */
export function tensorCount(): number {
  return tf.memory().numTensors;
}

export { tf };
