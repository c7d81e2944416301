export * from './backend.js';
export * from './records.js';
