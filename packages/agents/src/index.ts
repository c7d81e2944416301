export * from './schedules.js';
export * from './sarsa.js';
export * from './sarsa-model.js';
export * from './model-kind.js';
export * from './replay-buffer.js';
export * from './general/index.js';
