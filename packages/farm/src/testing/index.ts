export { freePort, startRedisServer, type RedisServerHandle, type RedisServerOptions } from '../redis-server.js';
export * from './build.js';
export * from './fixture.js';
