/** Benchmarks by name. Each returns the JSON object main prints on its last line. */
export type Benchmark = (args: string[]) => Promise<Record<string, unknown> & { bench: string }>;

export const benchmarks: Record<string, Benchmark> = {
  sim: async (args) => (await import('./sim.js')).run(args),
  calibrate: async (args) => (await import('./calibrate.js')).run(args),
  sarsa: async (args) => (await import('./sarsa.js')).run(args),
  faults: async (args) => (await import('./faults.js')).run(args),
  dispatch: async (args) => (await import('./dispatch.js')).run(args),
  fidelity: async (args) => (await import('./fidelity.js')).run(args),
  dqn: async (args) => (await import('./dqn.js')).run(args),
  agents: async (args) => (await import('./agents.js')).run(args),
  'agents-acceptance': async (args) => (await import('./agents-acceptance.js')).run(args),
  benchmark: async (args) => (await import('./benchmark.js')).run(args),
  tune: async (args) => (await import('./tune.js')).run(args),
  'image-worker': async (args) => (await import('./image-worker.js')).run(args),
  'python-bridge': async (args) => (await import('./python-bridge.js')).run(args),
};
