export * from './errors.js';
export * from './rng.js';
export * from './distributions.js';
export * from './config/schema.js';
export * from './config/load.js';
export * from './config/scenario.js';
export { parseTraceCsv, fillTraceCounts } from './config/trace.js';
export * from './config/edit.js';
export * from './config/json-schema.js';
export * from './timing.js';
export * from './spaces.js';
export * from './metrics.js';
export * from './env.js';
export * from './policy.js';
export * from './actuation.js';
export * from './stats.js';
export * from './bootstrap.js';
export * from './queueing.js';
export * from './reserve-sizing.js';
export * from './load-meter.js';
// Core's zod, re-exported so packages that validate files they read (runs, agents) use the same
// version without a dependency of their own.
export { z } from 'zod';
export * from './protocol.js';
