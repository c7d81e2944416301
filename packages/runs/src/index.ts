/**
 * Run directories, metadata, metrics files and progress. The figures are a separate entry,
 * `@autofarm/runs/plots`, so importing this one never loads chart.js or the canvas binary.
 */
export * from './run-dir.js';
export * from './paths.js';
export * from './run-metadata.js';
export * from './progress.js';
export * from './comparison.js';
export * from './training-metrics.js';
export * from './scoreboard.js';
export * from './field-metrics.js';
