import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '@autofarm/core';
import { deployDir, isKubeObject, readYaml, readYamlDocuments, validateKubeObject, type KubeObject } from '../yaml-files.js';

const dir = join(deployDir, 'autoscaler');
const objects = readYamlDocuments(join(dir, 'autoscaler.yaml')).filter(isKubeObject);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests walk the manifests' own shapes
const find = (kind: string) => objects.find((o) => o.kind === kind) as KubeObject & Record<string, any>;
const defaults = configSchema.parse({ workload: { phases: [{ name: 'p', pattern: 'steady', multiplier: 1, duration: 60 }] } });

describe('deploy/autoscaler', () => {
  it('holds a Deployment and a Service that validate against the Kubernetes schema, all in its kustomization', async () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'Deployment/autofarm-autoscaler',
      'Service/autofarm-autoscaler',
    ]);
    for (const obj of objects) await expect(validateKubeObject(obj)).resolves.toBeUndefined();
    expect(readYaml<{ resources: string[] }>(join(dir, 'kustomization.yaml')).resources).toEqual(['autoscaler.yaml']);
  });

  it("runs the CLI's autoscale command as the scaler's least-privilege ServiceAccount, one replica, probes on /healthz and /readyz", () => {
    const spec = find('Deployment').spec;
    expect(spec.replicas).toBe(1);
    const pod = spec.template.spec;
    expect(pod.serviceAccountName).toBe('autofarm-scaler');
    expect(find('Deployment').metadata.namespace).toBe(defaults.openfaas.namespace);
    const c = pod.containers[0];
    expect(c.args.slice(0, 5)).toEqual(['autoscale', '--policy', '$(AUTOSCALE_POLICY)', '--backend', 'openfaas']);
    expect(c.args).toEqual(expect.arrayContaining(['--listen', '0.0.0.0', '--port', '9464']));
    expect(c.livenessProbe.httpGet.path).toBe('/healthz');
    expect(c.readinessProbe.httpGet.path).toBe('/readyz');
    expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true });
  });

  it('exposes /metrics on a Service Prometheus scrapes by annotation', () => {
    const svc = find('Service');
    expect(svc.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '9464',
      'prometheus.io/path': '/metrics',
    });
    expect(svc.spec.selector).toEqual(find('Deployment').spec.selector.matchLabels);
  });

  it('ships a Grafana dashboard whose queries name only metrics the controller exports', async () => {
    const dashboard = JSON.parse(readFileSync(join(dir, 'grafana-dashboard.json'), 'utf8')) as {
      panels: Array<{ targets: Array<{ expr: string }> }>;
    };
    const { AutoscaleMetrics } = await import('@autofarm/env/live');
    const exported = new Set((await new AutoscaleMetrics().registry.getMetricsAsJSON()).map((m) => m.name));
    const used = dashboard.panels.flatMap((p) => p.targets.flatMap((t) => t.expr.match(/autofarm_autoscale_[a-z_]+/g) ?? []));
    expect(used.length).toBeGreaterThan(5);
    for (const name of used) expect(exported.has(name.replace(/_(bucket|sum|count)$/, '')), name).toBe(true);
  });
});
