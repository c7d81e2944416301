export * from './holt.js';
export * from './period.js';
export * from './forecaster.js';
