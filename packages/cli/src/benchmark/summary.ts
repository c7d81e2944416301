/** The few lines `benchmark` prints on stdout: the overall ranking, so a user sees the result without opening scoreboard.md. */
import type { Scoreboard } from '@autofarm/runs';
import { formatTable } from '../table.js';

export function rankingSummary(board: Scoreboard): string {
  const scenarios = Object.keys(board.scenarios).length;
  const rows = board.ranking.map((r, i) => [
    i + 1,
    r.agent,
    r.mean_rank.toFixed(2),
    (r.mean_qos * 100).toFixed(2),
    `${r.scenarios_at_99} / ${scenarios}`,
    r.geo_mean_ratio === null ? 'n/a' : r.geo_mean_ratio.toFixed(2),
  ]);
  const yardstick = board.meta.yardstick ? `; worker-seconds ratio against ${board.meta.yardstick} (1 = as frugal)` : '';
  return (
    `Overall ranking over ${scenarios} scenario(s) x ${board.meta.episodes} seeds (deployable agents${yardstick}):\n` +
    formatTable(['Rank', 'Agent', 'Mean rank', 'Mean QoS [%]', '>= 99 % QoS', 'Worker-s ratio'], rows)
  );
}
