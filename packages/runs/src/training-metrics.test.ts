import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelFileError } from '@autofarm/core';
import { readTrainingRun } from './training-metrics.js';
import { syntheticEvaluation, syntheticTraining } from './testing/synthetic.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'runs-train-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('readTrainingRun', () => {
  it('reads training and evaluation metrics from a run directory', () => {
    const training = syntheticTraining(1, 4, { loss: true });
    const evaluation = syntheticEvaluation(training, 2);
    writeFileSync(join(dir, 'training_metrics.json'), JSON.stringify({ episodes: training }));
    writeFileSync(join(dir, 'evaluation_metrics.json'), JSON.stringify({ checkpoints: evaluation }));
    expect(readTrainingRun(dir)).toEqual({ training, evaluation, file: join(dir, 'training_metrics.json') });
  });

  it('works without an evaluation file, and from the metrics file itself', () => {
    writeFileSync(join(dir, 'training_metrics.json'), JSON.stringify({ episodes: syntheticTraining(1, 1) }));
    const run = readTrainingRun(join(dir, 'training_metrics.json'));
    expect(run.training).toHaveLength(1);
    expect(run.evaluation).toBeUndefined();
  });

  it('fails with ModelFileError naming the bad field or the missing file', () => {
    expect(() => readTrainingRun(dir)).toThrow(ModelFileError);
    expect(() => readTrainingRun(dir)).toThrow(/no training_metrics\.json in/);
    writeFileSync(join(dir, 'training_metrics.json'), JSON.stringify({ episodes: [{ ...syntheticTraining(1, 1)[0], epsilon: 'x' }] }));
    expect(() => readTrainingRun(dir)).toThrow(/episodes\[0\]\.epsilon/);
    writeFileSync(join(dir, 'training_metrics.json'), JSON.stringify({ episodes: syntheticTraining(1, 1) }));
    expect(() => readTrainingRun(dir, join(dir, 'missing.json'))).toThrow(/missing\.json does not exist/);
    writeFileSync(join(dir, 'evaluation_metrics.json'), JSON.stringify({ checkpoints: [{ episode: 1 }] }));
    expect(() => readTrainingRun(dir)).toThrow(/checkpoints\[0\]\.mean_total_reward/);
  });
});
