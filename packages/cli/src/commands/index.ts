/** Every command, in the order `autofarm --help` lists them. Each module adds one subcommand. */
import type { Command } from 'commander';
import { registerSimulate } from './simulate.js';
import { registerComparePolicies } from './compare-policies.js';
import { registerTestReactiveBaselines } from './test-reactive-baselines.js';
import { registerConfigSchema } from './config-schema.js';
import { registerCalibrate } from './calibrate.js';
import { registerTrainDqn } from './train-dqn.js';
import { registerTestDqn } from './test-dqn.js';
import { registerTrainSarsa } from './train-sarsa.js';
import { registerTestSarsa } from './test-sarsa.js';
import { registerPlotTraining } from './plot-training.js';
import { registerBenchmark } from './benchmark.js';
import { registerConvertTrace } from './convert-trace.js';
import { registerServeEnv } from './serve-env.js';
import { registerTune } from './tune.js';

export const commands: Array<(program: Command) => void> = [
  registerSimulate,
  registerComparePolicies,
  registerBenchmark,
  registerTune,
  registerTestReactiveBaselines,
  registerTrainSarsa,
  registerTestSarsa,
  registerTrainDqn,
  registerTestDqn,
  registerPlotTraining,
  registerServeEnv,
  registerCalibrate,
  registerConvertTrace,
  registerConfigSchema,
];
