/**
 * Agent names -> Policy objects, for every command that evaluates policies. Baselines come from
 * @autofarm/baselines; `sarsa` and `dqn` load trained models (DQN through a dynamic import, so
 * tfjs loads only when a DQN is asked for). Every name and model is checked before any episode
 * runs, so a typo does not cost a finished half-run.
 */
import { UsageError, type Config, type Policy } from '@autofarm/core';
import {
  BASELINE_NAMES,
  baselineName,
  createBaseline,
  sweepBaselineName,
  tunedBaselineName,
  type ReplaySelection,
} from '@autofarm/baselines';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isGeneralSarsaFile, loadGeneralSarsaPolicy, loadSarsaPolicy } from '@autofarm/agents';

export const AGENT_NAMES = [...BASELINE_NAMES, 'sarsa', 'dqn'] as const;

export interface PolicySources {
  /** SARSA model file (--model). */
  model?: string;
  /** DQN model directory (--dqn-model). */
  dqnModel?: string;
  /** Recorded actions for `replay` (--replay-file). */
  replayFile?: string;
  /** Which agent and episode of an aggregated_results.json to replay (--replay-agent, --replay-episode). */
  replaySelection?: ReplaySelection;
}

/** A factory per agent: evaluation makes a fresh policy per agent so no state leaks between them. */
export type PolicyFactory = () => Policy;

function agentKey(name: string): string {
  return name.toLowerCase().replace(/[\s_-]/g, '');
}

/** Resolve every name up front; throws UsageError/ModelFileError before anything runs. */
export async function resolvePolicies(
  names: readonly string[],
  config: Config,
  sources: PolicySources,
): Promise<Map<string, PolicyFactory>> {
  const out = new Map<string, PolicyFactory>();
  for (const name of names) {
    const key = agentKey(name);
    let factory: PolicyFactory;
    if (key === 'sarsa' || key === 'agent') {
      if (!sources.model)
        throw new UsageError(
          '--agents sarsa needs --model FILE (a model from train-sarsa; no models/sarsa.json next to the configuration)',
        );
      const file = sources.model;
      // a general model (train-sarsa --mode general) carries its own features and actions
      const load = isGeneralSarsaFile(file) ? () => loadGeneralSarsaPolicy(file) : () => loadSarsaPolicy(file, config);
      load(); // fail now on a missing, corrupt or mismatched file
      factory = load;
    } else if (key === 'dqn' || key === 'dqnagent') {
      if (!sources.dqnModel)
        throw new UsageError(
          '--agents dqn needs --dqn-model DIR (a model directory from train-dqn; no models/dqn/ next to the configuration)',
        );
      const { loadDqnPolicy, loadGeneralDqnPolicy } = await import('@autofarm/agents/dqn');
      const policy = isGeneralDqnDir(sources.dqnModel)
        ? await loadGeneralDqnPolicy(sources.dqnModel)
        : await loadDqnPolicy(sources.dqnModel, config);
      factory = () => {
        policy.reset();
        return policy;
      };
    } else if (baselineName(name) !== null || tunedBaselineName(name) !== null || sweepBaselineName(name) !== null) {
      const options = sources.replayFile ? { replayFile: sources.replayFile, replaySelection: sources.replaySelection ?? {} } : {};
      createBaseline(name, config, options); // validates replay files and parameters now
      factory = () => createBaseline(name, config, options);
    } else {
      throw new UsageError(`--agents: unknown agent "${name}"; valid names: ${AGENT_NAMES.join(', ')}`);
    }
    const display = factory().name;
    if (out.has(display)) throw new UsageError(`--agents: "${name}" is listed twice`);
    out.set(display, factory);
  }
  return out;
}

/** True if `dir` holds a general DQN model (its metadata.json has a `general` block). */
export function isGeneralDqnDir(dir: string): boolean {
  const file = join(dir, 'metadata.json');
  if (!existsSync(file)) return false;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { general?: unknown }).general !== undefined;
  } catch {
    return false;
  }
}
