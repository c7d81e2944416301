import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@autofarm/core';
import { inspectPng } from '@autofarm/runs/plots';
import { main } from '../main.js';
import { captureOutput } from '../testing/index.js';
import { trainSarsaRun } from './train-sarsa.js';

const shipped = new URL('../../../../configuration.yml', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'autofarm-plot-training-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('autofarm plot-training', () => {
  const io = captureOutput();

  it('re-renders the training curves of a run directory, with its evaluations', async () => {
    const config = loadConfig(shipped, [{ path: 'episode.max_steps', value: 5 }]);
    const run = await trainSarsaRun({
      config,
      episodes: 4,
      evalEpisodes: 1,
      checkpointEvery: 2,
      out: join(tmp, 'sarsa_run_x'),
      progress: 'quiet',
    });
    const original = readFileSync(join(run.dir, 'plots', 'training_curves.png'));
    // Without --out: a new file beside the training's figure, which stays as the training drew it.
    expect(await main(['node', 'autofarm', 'plot-training', run.dir])).toBe(0);
    expect(readFileSync(join(run.dir, 'plots', 'training_curves.png'))).toEqual(original);
    expect(io.out).toContain(`${join(run.dir, 'plots', 'training_curves_replot.png')} (4 episodes, 2 evaluations)`);
    const png = join(tmp, 'again.png');
    const code = await main(['node', 'autofarm', 'plot-training', run.dir, '--out', png]);
    expect(code).toBe(0);
    expect(io.out).toContain(`${png} (4 episodes, 2 evaluations)`);
    const info = inspectPng(readFileSync(png));
    expect(info.width).toBeGreaterThan(500);
    expect(statSync(png).size).toBeGreaterThan(10_000);
  });

  it('exits 2 for a directory without training metrics', async () => {
    expect(await main(['node', 'autofarm', 'plot-training', tmp])).toBe(2);
    expect(io.err).toMatch(/no training_metrics\.json/);
  });
});
