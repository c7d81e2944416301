/**
 * What a model on disk is, decided in one place for both agents: a SARSA model is one JSON file
 * whose `format` names it (sarsa-model.ts, general/sarsa-general.ts); a DQN model is a directory
 * whose metadata.json has a `general` block when it is a general one (dqn/model-dir.ts). Reads
 * only JSON, so asking never loads TensorFlow.js.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Config, Policy } from '@autofarm/core';
import { GENERAL_SARSA_FORMAT, loadGeneralSarsaPolicy } from './general/sarsa-general.js';
import { loadSarsaPolicy } from './sarsa-model.js';

export type ModelKind = 'sarsa' | 'general-sarsa' | 'dqn' | 'general-dqn';

function readJson(file: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The kind of the model at `path`, or null when it is none (missing, unreadable, another format). */
export function modelKind(path: string): ModelKind | null {
  if (!existsSync(path)) return null;
  if (statSync(path).isDirectory()) {
    const meta = readJson(join(path, 'metadata.json'));
    if (meta?.format !== 'autofarm-dqn') return null;
    return meta.general === undefined ? 'dqn' : 'general-dqn';
  }
  const format = readJson(path)?.format;
  return format === GENERAL_SARSA_FORMAT ? 'general-sarsa' : format === 'autofarm-sarsa' ? 'sarsa' : null;
}

/**
 * A SARSA model file of either kind as its greedy policy: a general model carries its own
 * features and actions, an original one is checked against `config`. Errors are the loaders'
 * ModelFileErrors (an unreadable file goes to the original loader, whose message names it).
 */
export function loadSarsaModelPolicy(file: string, config: Config, name?: string): Policy {
  return modelKind(file) === 'general-sarsa' ? loadGeneralSarsaPolicy(file, name) : loadSarsaPolicy(file, config, name);
}
