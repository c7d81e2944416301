/**
 * `pnpm bench image-worker [--a A --b B] [--seed N]`: a short episode on the `local` backend
 * with `tasks.work: image`, so every worker runs the real sharp pipeline on the task's image
 * size. Reports how the measured processing times follow the calibrated model: the median of
 * measured / model time over the collected tasks, overall and per size band.
 *
 * Pass this machine's fit (`autofarm calibrate`) as --a/--b: the shipped calibrated_model is
 * the original's (a slower machine), kept so the simulated workload matches its experiments.
 * Two workers and ~0.8 tasks/s keep the real work within this 2-core machine, so the times
 * measure the pipeline, not CPU contention.
 */
import { loadConfig, median, parseConfig } from '@autofarm/core';
import { FarmEnv } from '@autofarm/env';
import { createLocalBackend } from '@autofarm/env/local';

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

export async function run(args: string[]) {
  const shipped = loadConfig('configuration.yml');
  const a = Number(flag(args, '--a') ?? shipped.calibrated_model.a);
  const b = Number(flag(args, '--b') ?? shipped.calibrated_model.b);
  const seed = Number(flag(args, '--seed') ?? 3);
  const config = parseConfig({
    ...shipped,
    backend: 'local',
    workload: {
      ...shipped.workload,
      arrival_process: 'nhpp',
      phase_shuffle: false,
      phases: [{ name: 'steady', pattern: 'steady', multiplier: 1, duration: 40 }],
      base_rate: 48,
    },
    tasks: { ...shipped.tasks, work: 'image' },
    calibrated_model: { ...shipped.calibrated_model, a, b },
    scaling: { ...shipped.scaling, min_workers: 1, initial_workers: 2 },
    episode: { ...shipped.episode, max_steps: 10 },
    local: { ...shipped.local, time_scale: 1 },
  });
  const backend = createLocalBackend(config);
  const env = new FarmEnv(config, backend);
  let steps = 0;
  let qos: number | null = null;
  try {
    await env.reset({ seed });
    for (;;) {
      steps++;
      const r = await env.step(0);
      if (r.terminated || r.truncated) {
        qos = r.info.episodeFinalQos;
        break;
      }
    }
  } finally {
    await env.close();
  }
  const rows = backend
    .records()
    .filter((r) => r.processing_time !== undefined && r.processing_time_simulated !== undefined)
    .map((r) => ({ measured: r.processing_time as number, model: r.processing_time_simulated as number }));
  const ratios = rows.map((r) => r.measured / r.model);
  const band = (lo: number, hi: number) => {
    const xs = rows.filter((r) => r.model >= lo && r.model < hi).map((r) => r.measured / r.model);
    return { tasks: xs.length, median_ratio: xs.length ? Math.round(median(xs) * 1000) / 1000 : null };
  };
  const tMax = a * 4096 * 4096 + b;
  return {
    bench: 'image-worker',
    a,
    b,
    tasks_collected: rows.length,
    steps,
    episode_qos: qos,
    median_ratio_measured_to_model: Math.round(median(ratios) * 1000) / 1000,
    median_measured_s: Math.round(median(rows.map((r) => r.measured)) * 1000) / 1000,
    median_model_s: Math.round(median(rows.map((r) => r.model)) * 1000) / 1000,
    bands: { below_half_tmax: band(0, tMax / 2), upper: band(tMax / 2, tMax * 0.999), at_tmax: band(tMax * 0.999, Infinity) },
  };
}
