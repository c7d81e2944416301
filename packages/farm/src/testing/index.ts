export * from './redis-server.js';
export * from './build.js';
export * from './fixture.js';
