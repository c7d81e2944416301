/**
 * When things happen in an episode, from its workload alone (the same rules as the simulator's
 * farm model, so input_q and generationDone mean the same on every backend):
 * - a phase leaves input_queue at its nominal start, or, for the controlled process whose
 *   phases drift, at its first arrival (never after a later phase's);
 * - generation ends at the last arrival (controlled) or at max(last arrival, plan duration) (nhpp).
 */
import type { EpisodeWorkload } from '@autofarm/workload';

export interface Timeline {
  phaseStarts: number[];
  generationEnd: number;
  tasksPlanned: number;
}

export function timelineOf(workload: Pick<EpisodeWorkload, 'plan' | 'arrivals'>): Timeline {
  const { plan, arrivals } = workload;
  let phaseStarts = plan.phases.map((p) => p.start);
  if (plan.process === 'controlled') {
    const first = new Array<number>(plan.phases.length).fill(Infinity);
    for (const a of arrivals) first[a.phase] = Math.min(first[a.phase] as number, a.time);
    for (let i = first.length - 2; i >= 0; i--) first[i] = Math.min(first[i] as number, first[i + 1] as number);
    phaseStarts = first;
  }
  const last = arrivals.length > 0 ? (arrivals[arrivals.length - 1]?.time ?? 0) : 0;
  const generationEnd = plan.process === 'controlled' ? last : Math.max(last, plan.duration);
  return { phaseStarts, generationEnd, tasksPlanned: arrivals.length };
}
