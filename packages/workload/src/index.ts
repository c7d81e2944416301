export * from './patterns.js';
export * from './plan.js';
export * from './arrivals.js';
export * from './tasks.js';
export * from './episode.js';
export * from './azure-trace.js';
export * from './repeat.js';
export * from './fit.js';
