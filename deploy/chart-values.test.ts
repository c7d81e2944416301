/**
 * Our Helm values against the pinned chart itself (issue 19): chart 14.2.124 has no values
 * schema, so Helm ignores a key in the wrong place without a word (our faasnetes.imagePullPolicy
 * did nothing for months: the chart reads functions.imagePullPolicy). Every key path of
 * deploy/openfaas/values*.yaml must exist, nested, in the chart's own values.yaml.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chartPackage, leafPaths, misfit, readTgz } from './chart.js';
import { deployDir, parseYaml, readVersions, readYaml } from './yaml-files.js';

const found = chartPackage();
const valuesFiles = readdirSync(join(deployDir, 'openfaas')).filter((f) => /^values.*\.ya?ml$/.test(f));

describe('deploy/openfaas/values*.yaml against the pinned chart package', () => {
  it('every key path exists in the chart, nested, with the chart default type', () => {
    if (found.file === null) {
      // Not a silent pass: say what was not checked and where the package was looked for.
      console.warn(`chart-values.test.ts: NOT CHECKED, no chart package at ${found.looked.join(' or ')}`);
      return;
    }
    const chart = readTgz(found.file);
    const chartValues = parseYaml(chart.get('openfaas/values.yaml') ?? '');
    expect(valuesFiles.sort()).toEqual(['values-pro.yaml', 'values.yaml']);
    for (const file of valuesFiles) {
      const ours = readYaml(join(deployDir, 'openfaas', file));
      const problems = leafPaths(ours)
        .map(({ path, value }) => misfit(chartValues, path, value))
        .filter((p): p is string => p !== null);
      expect(problems, file).toEqual([]);
    }
  });

  it('is the chart the scripts install, shipping the faas-netes CE the fake cluster models (0.18.16)', () => {
    if (found.file === null) {
      console.warn(`chart-values.test.ts: NOT CHECKED, no chart package at ${found.looked.join(' or ')}`);
      return;
    }
    const chart = readTgz(found.file);
    expect((parseYaml(chart.get('openfaas/Chart.yaml') ?? '') as { version: string }).version).toBe(readVersions().OPENFAAS_CHART_VERSION);
    const values = parseYaml(chart.get('openfaas/values.yaml') ?? '') as { faasnetes: { image: string } };
    expect(values.faasnetes.image).toMatch(/faas-netes:0\.18\.16$/);
    // The function settings the gateway Deployment hands to faas-netes come from functions.*.
    const gateway = chart.get('openfaas/templates/gateway-dep.yaml') ?? '';
    for (const key of ['imagePullPolicy', 'httpProbe', 'setNonRootUser']) expect(gateway).toContain(`.Values.functions.${key}`);
    expect(gateway).not.toContain('.Values.faasnetes.imagePullPolicy');
  });
});

describe('the key path check', () => {
  const chart = {
    functions: { imagePullPolicy: 'Always', readinessProbe: { periodSeconds: 2 } },
    faasnetes: { image: 'x' },
    nodeSelector: {},
  };

  it('reports a key in the wrong place, a missing nested key and a wrong type', () => {
    expect(misfit(chart, ['faasnetes', 'imagePullPolicy'], 'IfNotPresent')).toBe(
      "faasnetes.imagePullPolicy is not a key of the chart's values.yaml",
    );
    expect(misfit(chart, ['functions', 'readinessProbe', 'period'], 2)).toBe(
      "functions.readinessProbe.period is not a key of the chart's values.yaml",
    );
    expect(misfit(chart, ['functions', 'readinessProbe', 'periodSeconds'], '2')).toMatch(/default is a number, ours a string/);
  });

  it('accepts keys that exist and anything below a free-form mapping', () => {
    expect(misfit(chart, ['functions', 'imagePullPolicy'], 'IfNotPresent')).toBeNull();
    expect(misfit(chart, ['nodeSelector', 'kubernetes.io/arch'], 'amd64')).toBeNull();
    expect(leafPaths({ a: { b: 1, c: { d: 'x' } }, e: [1] })).toEqual([
      { path: ['a', 'b'], value: 1 },
      { path: ['a', 'c', 'd'], value: 'x' },
      { path: ['e'], value: [1] },
    ]);
  });
});
