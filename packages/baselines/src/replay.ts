/**
 * Replay: plays back a recorded action sequence, so an experiment can be reproduced action for
 * action (same seed + same actions on the simulator = the same episode). After the last recorded
 * action it holds (0). Actions are worker DELTAS, as in our episode records; a delta outside
 * ±ctx.maxDelta is clamped to the decision's limit.
 *
 * loadReplayFile reads either a JSON list of numbers, or an aggregated_results.json
 * (`{agents: {<name>: {records: [{seed, actions: [...]}, ...]}}}`) from which one agent's
 * episode is chosen by index or by seed.
 */
import { readFileSync } from 'node:fs';
import { ModelFileError, UsageError, type Observation, type Policy, type PolicyContext } from '@autofarm/core';

export class ReplayPolicy implements Policy {
  readonly name: string;
  private index = 0;

  constructor(
    readonly actions: readonly number[],
    name = 'Replay',
  ) {
    this.name = name;
  }

  reset(): void {
    this.index = 0;
  }

  act(_observation: Observation, ctx: PolicyContext): number {
    const recorded = this.actions[this.index];
    this.index++;
    if (recorded === undefined) return 0;
    const delta = Math.max(-ctx.maxDelta, Math.min(ctx.maxDelta, recorded));
    return delta === 0 ? 0 : delta;
  }
}

export interface ReplaySelection {
  /** Agent of an aggregated_results.json (case, spaces, '-' and '_' ignored); needed when it has several. */
  agent?: string;
  /** 0-based episode index among the agent's records (default 0). */
  episode?: number;
  /** Pick the record with this seed instead of an index. */
  seed?: number;
}

export interface ReplaySource {
  actions: number[];
  /** The agent the actions came from (aggregated results only). */
  agent?: string;
  /** The seed the actions were recorded on, when the file says: replay on it to reproduce. */
  seed?: number;
  file: string;
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/[\s_-]/g, '');
}

function asActions(value: unknown, file: string, where: string): number[] {
  if (!Array.isArray(value)) throw new ModelFileError(`${file}: ${where} is not a list of actions`);
  value.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isInteger(x)) {
      throw new ModelFileError(`${file}: ${where}[${i}] is ${JSON.stringify(x)}, expected an integer worker delta`);
    }
  });
  return value as number[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function fromAggregated(data: Record<string, unknown>, file: string, selection: ReplaySelection): ReplaySource {
  const agents = isObject(data.agents) ? data.agents : data;
  const names = Object.keys(agents);
  if (names.length === 0) throw new ModelFileError(`${file}: no agents in this aggregated results file`);
  let name: string;
  if (selection.agent !== undefined) {
    const wanted = normalise(selection.agent);
    const found = names.find((n) => normalise(n) === wanted);
    if (found === undefined) throw new UsageError(`${file} has no agent "${selection.agent}"; it has: ${names.join(', ')}`);
    name = found;
  } else if (names.length === 1) {
    name = names[0] as string;
  } else {
    throw new UsageError(`${file} holds several agents (${names.join(', ')}): choose one to replay`);
  }
  const entry = agents[name];
  const records = isObject(entry) ? entry.records : undefined;
  if (!Array.isArray(records) || records.length === 0) throw new ModelFileError(`${file}: agent "${name}" has no records`);
  let index: number;
  if (selection.seed !== undefined) {
    index = records.findIndex((r) => isObject(r) && r.seed === selection.seed);
    if (index < 0) {
      const seeds = records.map((r) => (isObject(r) ? String(r.seed) : '?')).join(', ');
      throw new UsageError(`${file}: agent "${name}" has no episode with seed ${selection.seed}; its seeds: ${seeds}`);
    }
  } else {
    index = selection.episode ?? 0;
    if (!Number.isInteger(index) || index < 0 || index >= records.length) {
      throw new UsageError(`${file}: agent "${name}" has ${records.length} episode(s); episode ${index} does not exist (0-based)`);
    }
  }
  const record = records[index];
  if (!isObject(record)) throw new ModelFileError(`${file}: agent "${name}" episode ${index} is not an object`);
  const actions = asActions(record.actions, file, `agents.${name}.records[${index}].actions`);
  return { actions, agent: name, file, ...(typeof record.seed === 'number' ? { seed: record.seed } : {}) };
}

/**
 * Read a replay file. Unreadable file or invalid JSON or a wrong shape: ModelFileError; an agent,
 * episode or seed the file does not have: UsageError naming what it does have.
 */
export function loadReplayFile(file: string, selection: ReplaySelection = {}): ReplaySource {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ModelFileError(`cannot read replay file ${file} (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`, { cause });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new ModelFileError(`replay file ${file} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  if (Array.isArray(data)) return { actions: asActions(data, file, 'the list'), file };
  if (isObject(data)) return fromAggregated(data, file, selection);
  throw new ModelFileError(
    `replay file ${file}: expected a JSON list of actions or an aggregated_results.json object, found ${typeof data}`,
  );
}
