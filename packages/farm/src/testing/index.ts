export { freePort, startRedisServer, type RedisServerHandle, type RedisServerOptions } from '../redis-server.js';
export * from './build.js';
export * from './fixture.js';
export * from './until.js';
export * from './stalls.js';
export * from './command-stats.js';
export * from './virtual-clock.js';
