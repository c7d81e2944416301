/**
 * `autofarm plot-training <run>`: re-render the training curves of a train-sarsa or train-dqn run
 * (reference §11.6): reward, final QoS, epsilon, mean workers (and the DQN's loss) per episode,
 * with the checkpoint evaluations as markers with ± std error bars. The argument is a run
 * directory or its training_metrics.json; evaluation_metrics.json is read from beside it unless
 * --evaluation names another file. A missing or malformed file is a ModelFileError (exit 2).
 * The figure the training wrote (plots/training_curves.png) is never overwritten by default:
 * a re-render goes to plots/training_curves_replot.png (issue 22 item 8).
 */
import { basename, dirname, join } from 'node:path';
import { statSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { readTrainingRun } from '@autofarm/runs';

export interface PlotTrainingOptions {
  /** Run directory or training_metrics.json. */
  run: string;
  /** Default <run dir>/plots/training_curves_replot.png. */
  output?: string;
  /** Default: evaluation_metrics.json beside the training metrics, if present. */
  evaluation?: string;
  title?: string;
}

/** Writes the figure and returns its path and what it was drawn from. */
export async function plotTrainingRun(options: PlotTrainingOptions): Promise<{ output: string; episodes: number; checkpoints: number }> {
  const run = readTrainingRun(options.run, options.evaluation);
  const runDir = statSync(options.run).isDirectory() ? options.run : dirname(run.file);
  const output = options.output ?? join(runDir, 'plots', 'training_curves_replot.png');
  // The agent from the directory name (sarsa_run_…, dqn_run_…), as the original's title did.
  const name = basename(runDir).toLowerCase();
  const agent = name.startsWith('sarsa') ? 'SARSA' : name.startsWith('dqn') ? 'DQN' : 'Agent';
  const { plotTrainingCurves } = await import('@autofarm/runs/plots');
  plotTrainingCurves(run.training, run.evaluation, output, {
    title: options.title ?? `${agent} training: ${run.training.length} episode(s)`,
  });
  return { output, episodes: run.training.length, checkpoints: run.evaluation?.length ?? 0 };
}

export function registerPlotTraining(program: Command): void {
  program
    .command('plot-training')
    .description('re-render the training curves (reward, QoS, epsilon, mean workers, evaluations) of a training run')
    .argument('<run>', 'run directory (or its training_metrics.json)')
    .option('--out <png>', "figure path (default <run>/plots/training_curves_replot.png; the training's own figure is kept)")
    .addOption(new Option('--output <png>', 'former name of --out').hideHelp())
    .option('--evaluation <json>', 'evaluation_metrics.json to overlay (default: the one beside the training metrics)')
    .option('--title <text>', 'figure title')
    .action(async (run: string, flags: { out?: string; output?: string; evaluation?: string; title?: string }) => {
      const { out, output, ...rest } = flags;
      const figure = out ?? output;
      const r = await plotTrainingRun({ run, ...rest, ...(figure ? { output: figure } : {}) });
      process.stdout.write(`${r.output} (${r.episodes} episodes, ${r.checkpoints} evaluations)\n`);
    });
}
