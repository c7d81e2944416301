/**
 * The DQN model directory (`<run>/models/dqn_final/`, checkpoints `dqn_ep0010/` beside it):
 *   model.json + weights.bin  the online Q-network in the standard tfjs layers format,
 *   normalization.json        the observation statistics the network was trained with,
 *   metadata.json             format version, package version, seed, config hash, action space,
 *                             network shape, hyper-parameters and training counters.
 * Only JSON and raw float32 weights: loading never executes code (unlike the original's
 * pickles, reference §16.3 item 27). Anything missing or inconsistent is a ModelFileError naming the file.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { DeltaSpace, ModelFileError, OBSERVATION_NAMES } from '@autofarm/core';
import type { DqnAgent, DqnHyperParams } from './dqn.js';
import { RunningNormalizer, type NormalizationState } from './normalizer.js';
import { TfjsQFunction } from './q-function.js';
import type { ModelActionFields } from '../general/actions.js';

export const DQN_MODEL_FORMAT = 'autofarm-dqn';
export const DQN_MODEL_FORMAT_VERSION = 1;
export const METADATA_JSON = 'metadata.json';
export const NORMALIZATION_JSON = 'normalization.json';

export interface DqnMetadata {
  format: typeof DQN_MODEL_FORMAT;
  format_version: number;
  package_version: string;
  created: string;
  seed: number;
  config_hash: string;
  observation_names: string[];
  observation_size: number;
  /**
   * max_delta for worker-delta actions (n = 2 × max_delta + 1); a general model's n reserve
   * actions have none (older ones wrote (n − 1) / 2).
   */
  action_space: { max_delta?: number; n: number };
  hidden_layers: number[];
  hyperparams: DqnHyperParams;
  episodes_trained: number;
  acting_steps: number;
  updates: number;
  epsilon: number;
  tf_backend: string;
  /** Present for a general model: what its observation and actions are (agents/general). */
  general?: ModelActionFields & { features: string[]; miss_price: number };
}

export interface LoadedDqnModel {
  q: TfjsQFunction;
  normalizer: RunningNormalizer;
  metadata: DqnMetadata;
}

function packageVersion(): string {
  try {
    // src/dqn/ and dist/dqn/ are both two levels below the package root.
    return (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Write the agent's online network, normalisation statistics and metadata into `dir`. */
export async function saveDqnModel(
  dir: string,
  agent: DqnAgent,
  info: { configHash: string; tfBackend: string; general?: DqnMetadata['general'] },
): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await agent.online.save(dir);
  writeFileSync(join(dir, NORMALIZATION_JSON), `${JSON.stringify(agent.normalizer.toJSON(), null, 2)}\n`);
  const metadata: DqnMetadata = {
    format: DQN_MODEL_FORMAT,
    format_version: DQN_MODEL_FORMAT_VERSION,
    package_version: packageVersion(),
    created: new Date().toISOString(),
    seed: agent.seed,
    config_hash: info.configHash,
    observation_names: info.general ? [...info.general.features] : [...OBSERVATION_NAMES],
    observation_size: agent.online.spec.inputSize,
    action_space:
      agent.actionSpace instanceof DeltaSpace
        ? { max_delta: agent.actionSpace.maxDelta, n: agent.actionSpace.n }
        : { n: agent.actionSpace.n },
    hidden_layers: [...agent.online.spec.hiddenLayers],
    hyperparams: agent.params,
    episodes_trained: agent.episodesDone,
    acting_steps: agent.actingSteps,
    updates: agent.updates,
    epsilon: agent.epsilon,
    tf_backend: info.tfBackend,
    ...(info.general ? { general: info.general } : {}),
  };
  writeFileSync(join(dir, METADATA_JSON), `${JSON.stringify(metadata, null, 2)}\n`);
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ModelFileError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ModelFileError(`${path} is not valid JSON (${(error as Error).message})`, { cause: error });
  }
}

const isNumArray = (x: unknown, n: number) =>
  Array.isArray(x) && x.length === n && x.every((v) => typeof v === 'number' && Number.isFinite(v));

function checkMetadata(path: string, raw: unknown): DqnMetadata {
  const m = raw as Partial<DqnMetadata> | null;
  if (typeof m !== 'object' || m === null || m.format !== DQN_MODEL_FORMAT)
    throw new ModelFileError(`${path} is not an autofarm DQN model (expected "format": "${DQN_MODEL_FORMAT}")`);
  if (m.format_version !== DQN_MODEL_FORMAT_VERSION)
    throw new ModelFileError(
      `${path} has format_version ${String(m.format_version)}; this autofarm reads version ${DQN_MODEL_FORMAT_VERSION}`,
    );
  const a = m.action_space;
  const deltas = typeof a?.max_delta === 'number' && a.n === 2 * a.max_delta + 1;
  const reserves = m.general !== undefined && Number.isInteger(a?.n) && (a?.n as number) >= 1;
  if (typeof m.observation_size !== 'number' || !(deltas || reserves)) {
    throw new ModelFileError(
      `${path}: expected observation_size and action_space {max_delta, n = 2*max_delta+1} (or {n} with a general block)`,
    );
  }
  return m as DqnMetadata;
}

function checkNormalization(path: string, raw: unknown, size: number): NormalizationState {
  const s = raw as Partial<NormalizationState> | null;
  if (
    typeof s !== 'object' ||
    s === null ||
    s.kind !== 'running' ||
    typeof s.count !== 'number' ||
    typeof s.clip !== 'number' ||
    !isNumArray(s.mean, size) ||
    !isNumArray(s.var, size) ||
    s.var!.some((v) => v < 0)
  ) {
    throw new ModelFileError(
      `${path}: expected {kind: "running", count, clip, mean: [${size} numbers], var: [${size} non-negative numbers]}`,
    );
  }
  return s as NormalizationState;
}

/** Read a model directory written by saveDqnModel. */
export async function loadDqnModel(dir: string): Promise<LoadedDqnModel> {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new ModelFileError(
      `${dir} is not a DQN model directory (expected model.json, weights.bin, ${NORMALIZATION_JSON}, ${METADATA_JSON})`,
    );
  const metaPath = join(dir, METADATA_JSON);
  const metadata = checkMetadata(metaPath, readJson(metaPath));
  const normPath = join(dir, NORMALIZATION_JSON);
  const normalizer = RunningNormalizer.fromJSON(checkNormalization(normPath, readJson(normPath), metadata.observation_size));
  const h = metadata.hyperparams;
  const q = await TfjsQFunction.load(dir, { learningRate: h?.learningRate ?? 3e-4, maxGradNorm: h?.maxGradNorm ?? 0 });
  if (q.spec.inputSize !== metadata.observation_size || q.spec.nActions !== metadata.action_space.n) {
    q.dispose();
    throw new ModelFileError(
      `${join(dir, 'model.json')}: network maps ${q.spec.inputSize} -> ${q.spec.nActions}, ` +
        `${metaPath} says ${metadata.observation_size} -> ${metadata.action_space.n}`,
    );
  }
  return { q, normalizer, metadata };
}
