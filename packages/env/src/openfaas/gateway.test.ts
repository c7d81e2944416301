import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeCluster } from '../testing/fake-cluster.js';
import { Gateway, gatewayAuthFromEnv } from './gateway.js';

let fake: FakeCluster;
beforeEach(async () => {
  fake = await new FakeCluster({ functions: { emitter: 1, worker: 2, collector: 1 } }).start();
});
afterEach(async () => {
  await fake.close();
  expect(fake.unexpected).toEqual([]);
});

describe('Gateway (fake gateway, real shapes)', () => {
  it('checks /healthz without credentials', async () => {
    await expect(new Gateway(`${fake.gatewayUrl}/`).healthz()).resolves.toBeUndefined();
    expect(fake.requests).toContain('GET gateway/healthz');
  });

  it('lists the functions of a namespace with basic auth', async () => {
    const gw = new Gateway(fake.gatewayUrl, fake.gatewayAuth);
    const fns = await gw.listFunctions('openfaas-fn');
    expect(fns.map((f) => f.name).sort()).toEqual(['collector', 'emitter', 'worker']);
    expect(fns.find((f) => f.name === 'worker')).toMatchObject({ image: 'autofarm/worker:0.1.0', namespace: 'openfaas-fn', replicas: 2 });
    expect(fake.requests).toContain('GET gateway/system/functions?namespace=openfaas-fn');
  });

  it('says what is missing when /system/functions refuses', async () => {
    await expect(new Gateway(fake.gatewayUrl).listFunctions('openfaas-fn')).rejects.toThrow(/needs credentials \(set OPENFAAS_PASSWORD\)/);
    await expect(new Gateway(fake.gatewayUrl, { user: 'admin', password: 'nope' }).listFunctions('openfaas-fn')).rejects.toThrow(
      /needs credentials \(set OPENFAAS_PASSWORD; the one set was refused\)/,
    );
  });

  it('fails fast when nothing listens', async () => {
    const url = fake.gatewayUrl;
    await fake.close();
    const t0 = Date.now();
    // A 10 s deadline: answering well inside it shows the refusal was reported, not waited out.
    await expect(new Gateway(url, null, 10_000).healthz()).rejects.toThrow(new RegExp(`gateway ${url}: unreachable \\(ECONNREFUSED\\)`));
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('reads credentials from OPENFAAS_USER / OPENFAAS_PASSWORD', () => {
    expect(gatewayAuthFromEnv({})).toBeNull();
    expect(gatewayAuthFromEnv({ OPENFAAS_PASSWORD: 'p' })).toEqual({ user: 'admin', password: 'p' });
    expect(gatewayAuthFromEnv({ OPENFAAS_PASSWORD: 'p', OPENFAAS_USER: 'ops' })).toEqual({ user: 'ops', password: 'p' });
  });
});
