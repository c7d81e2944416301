/**
 * `pnpm bench sim`: env steps per second and simulated seconds per wall second on the
 * canonical workload (configuration.yml as shipped), one core, a policy that costs nothing
 * (it cycles +1, 0, -1, 0 so the actuator path is exercised). Median of 5 repeats of 300
 * episodes each, after one warm-up repeat; wall-clock and CPU-time rates.
 */
import { loadConfig, median } from '@autofarm/core';
import { createEnv } from '@autofarm/env';

export async function run(args: string[]) {
  const config = loadConfig(args[0] ?? 'configuration.yml');
  const env = await createEnv(config, { backend: 'sim' });
  const pattern = [1, 0, -1, 0];
  const repeats: number[] = [];
  const cpuRepeats: number[] = [];
  let totalSteps = 0;
  let episodes = 0;
  for (let r = 0; r < 6; r++) {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    let steps = 0;
    for (let e = 0; e < 300; e++) {
      await env.reset({ seed: r * 1000 + e });
      for (let i = 0; ; i++) {
        steps++;
        const s = await env.step(pattern[i % 4] as number);
        if (s.terminated || s.truncated) break;
      }
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(c0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    if (r > 0) {
      // The first repeat warms up the JIT. CPU time is reported too: on a shared machine it is
      // the steadier figure (wall time includes waiting for a core).
      repeats.push(steps / seconds);
      cpuRepeats.push(steps / cpuSeconds);
    }
    totalSteps += steps;
    episodes += 300;
  }
  await env.close();
  const stepsPerS = median(repeats);
  return {
    bench: 'sim',
    steps_per_s: Math.round(stepsPerS),
    steps_per_cpu_s: Math.round(median(cpuRepeats)),
    sim_s_per_wall_s: Math.round(stepsPerS * config.episode.step_duration),
    episodes_per_s: Math.round((stepsPerS / (totalSteps / episodes)) * 10) / 10,
    step_duration: config.episode.step_duration,
    repeats: repeats.map(Math.round),
    node: process.version,
  };
}
