import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '@autofarm/core';
import {
  deployDir,
  isKubeObject,
  parseYaml,
  readVersions,
  readYaml,
  readYamlDocuments,
  root,
  validateKubeObject,
  yamlFiles,
  type KubeObject,
} from './yaml-files.js';

const defaults = configSchema.parse({ workload: { phases: [{ name: 'p', pattern: 'steady', multiplier: 1, duration: 60 }] } });

function kubeObjects(): Array<{ file: string; obj: KubeObject }> {
  // deploy/autoscaler/ is optional (scripts/autoscaler-up.sh applies it); its own test checks it.
  return yamlFiles(deployDir)
    .filter((file) => !relative(deployDir, file).startsWith('autoscaler/'))
    .flatMap((file) =>
      readYamlDocuments(file)
        .filter(isKubeObject)
        .map((obj) => ({ file: relative(root, file), obj })),
    );
}

function find(kind: string, name: string): KubeObject {
  const hit = kubeObjects().find(({ obj }) => obj.kind === kind && obj.metadata.name === name);
  if (!hit) throw new Error(`no ${kind} ${name} in deploy/`);
  return hit.obj;
}

describe('deploy/ manifests', () => {
  it('every YAML file parses', () => {
    const files = yamlFiles(deployDir);
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const file of files) expect(() => readYamlDocuments(file)).not.toThrow();
  });

  it('every Kubernetes object validates against the Kubernetes schema (kubernetes-models)', async () => {
    const objects = kubeObjects();
    expect(objects.map(({ obj }) => `${obj.kind}/${obj.metadata.name}`).sort()).toEqual(
      [
        'Namespace/openfaas',
        'Namespace/openfaas-fn',
        'Namespace/redis',
        'Role/autofarm-scaler',
        'RoleBinding/autofarm-scaler',
        'Service/redis-master',
        'ServiceAccount/autofarm-scaler',
        'StatefulSet/redis-master',
      ].sort(),
    );
    for (const { file, obj } of objects) {
      await expect(validateKubeObject(obj), `${file}: ${obj.kind}/${obj.metadata.name}`).resolves.toBeUndefined();
    }
  });

  it('the validator really rejects a schema violation (so the check above means something)', async () => {
    const broken = structuredClone(find('StatefulSet', 'redis-master')) as KubeObject & { spec: { replicas: unknown } };
    broken.spec.replicas = 'one';
    await expect(validateKubeObject(broken)).rejects.toThrow(/replicas/);
  });

  it('kustomization.yaml applies every manifest in deploy/', () => {
    const k = readYaml<{ resources: string[] }>(join(deployDir, 'kustomization.yaml'));
    const withObjects = [...new Set(kubeObjects().map(({ file }) => relative('deploy', file)))].sort();
    expect([...k.resources].sort()).toEqual(withObjects);
  });

  it('the scaler role can only read and scale the worker and annotate pods in the function namespace', () => {
    const role = find('Role', 'autofarm-scaler') as KubeObject & {
      rules: Array<{ apiGroups: string[]; resources: string[]; resourceNames?: string[]; verbs: string[] }>;
    };
    expect(role.metadata.namespace).toBe(defaults.openfaas.namespace);
    expect(role.rules).toEqual([
      {
        apiGroups: ['apps'],
        resources: ['deployments/scale'],
        resourceNames: [defaults.openfaas.worker_function],
        verbs: ['get', 'patch'],
      },
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'patch'] },
    ]);
    const flat = JSON.stringify(role.rules);
    expect(flat).not.toContain('*');
    expect(flat).not.toContain('secrets');
    expect(flat).not.toContain('delete');
    const binding = find('RoleBinding', 'autofarm-scaler') as KubeObject & {
      roleRef: { kind: string; name: string };
      subjects: Array<{ kind: string; name: string; namespace: string }>;
    };
    expect(binding.roleRef).toMatchObject({ kind: 'Role', name: 'autofarm-scaler' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'autofarm-scaler', namespace: defaults.openfaas.namespace }]);
  });

  it('Redis is where the functions look for it, password-protected and persistent', () => {
    const svc = find('Service', 'redis-master') as KubeObject & {
      spec: { ports: Array<{ port: number }>; selector: Record<string, string> };
    };
    expect(svc.metadata.namespace).toBe('redis');
    expect(svc.spec.ports[0]?.port).toBe(6379);
    const sts = find('StatefulSet', 'redis-master') as KubeObject & {
      spec: {
        template: {
          metadata: { labels: Record<string, string> };
          spec: {
            containers: Array<{
              image: string;
              args: string[];
              env: Array<{ name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
              readinessProbe?: unknown;
              securityContext?: { allowPrivilegeEscalation?: boolean };
            }>;
          };
        };
      };
    };
    expect(sts.spec.template.metadata.labels).toMatchObject(svc.spec.selector);
    const c = sts.spec.template.spec.containers[0];
    expect(c?.image).toBe(readVersions().REDIS_IMAGE);
    expect(c?.args).toEqual(expect.arrayContaining(['--requirepass', '$(REDIS_PASSWORD)', '--appendonly', 'yes']));
    expect(c?.env.find((e) => e.name === 'REDIS_PASSWORD')?.valueFrom?.secretKeyRef).toEqual({ name: 'redis-auth', key: 'password' });
    expect(c?.readinessProbe).toBeDefined();
    expect(c?.securityContext?.allowPrivilegeEscalation).toBe(false);
    // The functions' default address (functions/stack.yml) is this service.
    const stack = readYaml<{ functions: Record<string, { environment: Record<string, string> }> }>(join(root, 'functions/stack.yml'));
    for (const fn of Object.values(stack.functions)) expect(fn.environment.REDIS_HOSTNAME).toBe('redis-master.redis.svc.cluster.local');
  });
});

describe('deploy/kind/cluster.yaml', () => {
  const kind = readYaml<{
    kind: string;
    apiVersion: string;
    networking: { podSubnet: string };
    nodes: Array<{
      role: string;
      kubeadmConfigPatches?: string[];
      extraPortMappings?: Array<{ containerPort: number; hostPort: number; listenAddress?: string }>;
    }>;
  }>(join(deployDir, 'kind/cluster.yaml'));

  it('is a KIND v1alpha4 cluster with the original settings', () => {
    expect(kind.kind).toBe('Cluster');
    expect(kind.apiVersion).toBe('kind.x-k8s.io/v1alpha4');
    expect(kind.networking.podSubnet).toBe('10.244.0.0/16');
    expect(kind.nodes.map((n) => n.role)).toEqual(['control-plane']);
    const patches = kind.nodes[0]?.kubeadmConfigPatches ?? [];
    const kubelet = patches.map((p) => parseYaml(p) as Record<string, unknown>).find((p) => p.kind === 'KubeletConfiguration');
    expect(kubelet).toEqual({
      kind: 'KubeletConfiguration',
      apiVersion: 'kubelet.config.k8s.io/v1beta1',
      maxPods: 250,
      cpuCFSQuota: false,
    });
  });

  it('maps the gateway NodePort to the host loopback only', () => {
    const values = readYaml<{ gateway: { nodePort: number } }>(join(deployDir, 'openfaas/values.yaml'));
    expect(kind.nodes[0]?.extraPortMappings).toEqual([
      { containerPort: values.gateway.nodePort, hostPort: values.gateway.nodePort, listenAddress: '127.0.0.1', protocol: 'TCP' },
    ]);
  });
});

describe('deploy/openfaas/values.yaml (Helm values of the pinned chart)', () => {
  interface HelmValues {
    functionNamespace: string;
    gateway: { replicas: number; readTimeout: string; writeTimeout: string; upstreamTimeout: string; nodePort: number };
    faasnetes: { imagePullPolicy: string };
    queueWorker: { ackWait: string };
    alertmanager: { create: boolean };
  }
  const values = readYaml<HelmValues>(join(deployDir, 'openfaas/values.yaml'));
  const goDuration = (s: string) => {
    const unit: Record<string, number> = { h: 3600, m: 60, s: 1 };
    const parts = [...s.matchAll(/(\d+)(h|m|s)/g)];
    if (parts.map((p) => p[0]).join('') !== s) throw new Error(`not a Go duration: ${s}`);
    return parts.reduce((t, p) => t + Number(p[1]) * (unit[p[2] as string] as number), 0);
  };

  it('uses only keys the chart defines, with the right types', () => {
    // Top-level keys of the openfaas chart's values.yaml (faas-netes chart/openfaas).
    const chartKeys = [
      'functionNamespace',
      'openfaasPro',
      'basic_auth',
      'generateBasicAuth',
      'rbac',
      'exposeServices',
      'serviceType',
      'async',
      'gateway',
      'faasnetes',
      'queueWorker',
      'prometheus',
      'alertmanager',
    ];
    for (const key of Object.keys(values)) expect(chartKeys, `unknown chart value ${key}`).toContain(key);
    expect(values.functionNamespace).toBe(defaults.openfaas.namespace);
    expect(typeof values.gateway.replicas).toBe('number');
    expect(['Always', 'IfNotPresent', 'Never']).toContain(values.faasnetes.imagePullPolicy);
  });

  it('keeps the original long timeouts with upstream below read/write', () => {
    const { readTimeout, writeTimeout, upstreamTimeout } = values.gateway;
    expect(goDuration(readTimeout)).toBe(12 * 3600);
    expect(goDuration(writeTimeout)).toBe(12 * 3600);
    expect(goDuration(upstreamTimeout)).toBeLessThan(goDuration(readTimeout));
    expect(goDuration(values.queueWorker.ackWait)).toBe(12 * 3600);
  });

  it('leaves scaling to us: no AlertManager, and images loaded into KIND are not pulled', () => {
    expect(values.alertmanager.create).toBe(false);
    expect(values.faasnetes.imagePullPolicy).toBe('IfNotPresent');
  });
});

describe('deploy/versions.env', () => {
  it('pins every version the scripts install', () => {
    const v = readVersions();
    expect(v.KIND_NODE_IMAGE).toMatch(/^kindest\/node:v\d+\.\d+\.\d+$/);
    expect(v.OPENFAAS_CHART_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    expect(v.OPENFAAS_CHART_REPO).toMatch(/^https:\/\//);
    expect(v.REDIS_IMAGE).toMatch(/^redis:\d+\.\d+\.\d+(-alpine)?$/);
    expect(v.AUTOFARM_IMAGE_TAG).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
