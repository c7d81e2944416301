/**
 * `@autofarm/env/local`: the real farm on this machine (real redis-server, one process per
 * role). Behind a subpath so importing the simulator never loads ioredis.
 */
export { LocalBackend, createLocalBackend, type LocalStats } from './local-backend.js';
