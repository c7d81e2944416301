export * from './features.js';
export * from './actions.js';
export * from './controller.js';
export * from './cost.js';
export * from './domain.js';
export * from './training-env.js';
export * from './policy.js';
export * from './sarsa-general.js';
