/**
 * createEnv: a FarmEnv on the configured backend. The real backends are loaded with a dynamic
 * import, so importing @autofarm/env (the simulator) never loads ioredis or the Kubernetes client.
 */
import type { Config } from '@autofarm/core';
import type { Backend } from './backend.js';
import { FarmEnv } from './farm-env.js';
import { SimBackend } from './sim/sim-backend.js';

export type BackendName = Config['backend'];

export async function createBackend(config: Config, name: BackendName = config.backend): Promise<Backend> {
  switch (name) {
    case 'sim':
      return new SimBackend(config);
    case 'local': {
      const local = (await import('./local/index.js')) as { createLocalBackend?: (c: Config) => Promise<Backend> | Backend };
      if (!local.createLocalBackend) throw new Error('the local backend is not built yet');
      return local.createLocalBackend(config);
    }
    case 'openfaas': {
      const openfaas = (await import('./openfaas/index.js')) as { createOpenFaasBackend?: (c: Config) => Promise<Backend> | Backend };
      if (!openfaas.createOpenFaasBackend) throw new Error('the openfaas backend is not built yet');
      return openfaas.createOpenFaasBackend(config);
    }
  }
}

export async function createEnv(config: Config, options: { backend?: BackendName } = {}): Promise<FarmEnv> {
  return new FarmEnv(config, await createBackend(config, options.backend));
}
