import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syntheticTraining } from '../testing/synthetic.js';
import { plotTrainingCurves } from './training.js';
import { inspectPng } from './inspect.js';

describe('plotTrainingCurves on a long run', () => {
  it('draws 200 000 episodes without overflowing the call stack', () => {
    const training = syntheticTraining(1, 200_000);
    const out = join(mkdtempSync(join(tmpdir(), 'autofarm-long-')), 'curves.png');
    plotTrainingCurves(training, undefined, out);
    const png = inspectPng(readFileSync(out));
    expect(png.width).toBeGreaterThan(0);
    expect(png.distinctColours).toBeGreaterThan(10);
  }, 60_000);
});
