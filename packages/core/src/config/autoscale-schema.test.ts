import { describe, expect, it } from 'vitest';
import { configHash } from './load.js';
import { configSchema } from './schema.js';

const base = { workload: { phases: [{ name: 'p', pattern: 'steady', multiplier: 1, duration: 60 }] } };

describe('the autoscale block', () => {
  it('defaults to the kpa fallback, a 30 s stale limit, 16 removals a minute, metrics on 127.0.0.1:9464', () => {
    expect(configSchema.parse(base).autoscale).toEqual({
      fallback: 'kpa',
      stale_after: 30,
      scale_down_per_minute: 16,
      listen: '127.0.0.1',
      port: 9464,
      local_redis_port: 6399,
      key_prefix: 'autofarm:autoscale',
    });
  });

  it('does not enter the configuration hash, so a trained model stays valid whatever it says', () => {
    const a = configSchema.parse(base);
    const b = configSchema.parse({ ...base, autoscale: { fallback: 'hpa', port: 1 } });
    expect(configHash(a)).toBe(configHash(b));
    expect(configHash(a)).not.toBe(configHash(configSchema.parse({ ...base, seed: 7 })));
  });

  it('rejects a scale-down cap below one', () => {
    expect(configSchema.safeParse({ ...base, autoscale: { scale_down_per_minute: 0 } }).success).toBe(false);
  });
});
