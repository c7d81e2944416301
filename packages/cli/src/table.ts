/** Fixed-width text tables for per-step logs and summaries (what the original printed per step). */
import type { EpisodeRecord } from '@autofarm/env';

export function formatTable(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  return [line(headers), ...cells.map(line)].join('\n');
}

function formatNumber(x: number): string {
  if (Number.isInteger(x)) return String(x);
  return Math.abs(x) >= 100 ? x.toFixed(1) : x.toFixed(2);
}

export const STEP_HEADERS = [
  'Step',
  'Time[s]',
  'Action',
  'Workers',
  'Worker_Q',
  'QoS[%]',
  'AVG_T[s]',
  'MAX_T[s]',
  'ARR[/s]',
  'Reward',
] as const;

export function stepRows(record: EpisodeRecord): Array<Array<string | number>> {
  return record.actions.map((a, i) => [
    i + 1,
    record.times[i] ?? 0,
    a > 0 ? `+${a}` : String(a),
    record.worker_counts[i] ?? 0,
    record.queue_lengths[i] ?? 0,
    (record.qos_rates[i] ?? 0) * 100,
    record.avg_times[i] ?? 0,
    record.max_times[i] ?? 0,
    record.arrival_rates[i] ?? 0,
    record.rewards[i] ?? 0,
  ]);
}

export function summaryLines(record: EpisodeRecord): string {
  const s = record.summary;
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
  return [
    `QoS (met / generated): ${pct(s.qos_rate)}   mean window QoS: ${pct(s.mean_qos)}`,
    `workers: mean ${s.mean_workers.toFixed(2)}, max ${s.max_workers}, worker-seconds ${s.worker_seconds.toFixed(0)}`,
    `tasks: generated ${s.tasks_generated}, completed ${s.tasks_completed}, met ${s.tasks_met}, ` +
      `missed ${s.tasks_generated - s.tasks_met} (unfinished ${s.tasks_unfinished})`,
    `latency: p50 ${s.p50_latency.toFixed(3)} s, p95 ${s.p95_latency.toFixed(3)} s   reward: total ${s.total_reward.toFixed(2)}`,
    `episode ${s.terminated ? 'terminated (all tasks collected)' : 'truncated at the step limit'} after ${s.steps} steps`,
  ].join('\n');
}
