/**
 * `@autofarm/agents/dqn`: the Double-DQN agent. A separate entry point because it loads
 * TensorFlow.js; `@autofarm/agents` (SARSA, schedules, replay buffer) never does.
 */
export * from './dqn.js';
export * from './q-function.js';
export * from './normalizer.js';
export * from './model-dir.js';
export * from './policy.js';
export { initTf, tensorCount, type TfBackendName, type TfBackendPreference } from './tf-backend.js';
export * from '../general/dqn-general.js';
