/** PNG figures (chart.js on @napi-rs/canvas). Import as `@autofarm/runs/plots`. */
export * from './chart.js';
export * from './series-stats.js';
export * from './comparison.js';
export * from './episode.js';
export * from './training.js';
export * from './calibration.js';
export * from './inspect.js';
export * from './benchmark.js';
export * from './pareto.js';
