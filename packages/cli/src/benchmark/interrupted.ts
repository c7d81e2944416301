/**
 * Ctrl-C during `benchmark`: what is kept. Every finished episode goes to interrupted.json
 * (scenario -> agent -> records); a scenario on which every agent finished every seed is
 * complete, and only those enter the scoreboard (a row over fewer seeds would not compare).
 */
import type { RunDir, ScenarioRecords } from '@autofarm/runs';

export interface Kept {
  complete: ScenarioRecords[];
  message: string;
}

export function keepInterrupted(dir: RunDir, scenarios: readonly ScenarioRecords[], seeds: number): Kept {
  const finished = scenarios.reduce((n, s) => n + s.agents.reduce((m, a) => m + a.records.length, 0), 0);
  const planned = scenarios.reduce((n, s) => n + s.agents.length * seeds, 0);
  const complete = scenarios.filter((s) => s.agents.every((a) => a.records.length === seeds));
  dir.writeJson('interrupted.json', {
    finished_episodes: finished,
    of: planned,
    complete_scenarios: complete.map((s) => s.name),
    scenarios: Object.fromEntries(scenarios.map((s) => [s.name, Object.fromEntries(s.agents.map((a) => [a.name, a.records]))])),
  });
  const names = complete.map((s) => s.name).join(', ');
  const board =
    complete.length > 0
      ? `a scoreboard over the ${complete.length} of ${scenarios.length} scenario(s) every agent finished ` +
        `(${names}) in scoreboard.md; `
      : 'no scenario finished for every agent, so no scoreboard; ';
  return {
    complete,
    message:
      `benchmark: interrupted after ${finished} of ${planned} episodes; ` +
      `kept ${board}every finished episode in ${dir.file('interrupted.json')}`,
  };
}
