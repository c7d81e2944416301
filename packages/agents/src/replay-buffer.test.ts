import { describe, expect, it } from 'vitest';
import { createRng } from '@autofarm/core';
import { ReplayBuffer, sampleDistinct, type Transition } from './replay-buffer.js';

function transition(i: number, terminated = false): Transition {
  return { observation: [i, i + 0.5], action: i % 3, reward: -i, nextObservation: [i + 1, i + 1.5], terminated };
}

describe('ReplayBuffer', () => {
  it('keeps every field of a stored transition together in a sampled row', () => {
    const buf = new ReplayBuffer(10, 2);
    for (let i = 0; i < 7; i++) buf.push(transition(i, i === 3));
    const b = buf.sample(7, createRng(1));
    const seen = new Set<number>();
    for (let row = 0; row < b.size; row++) {
      const i = b.observations[row * 2] as number;
      seen.add(i);
      expect(b.observations[row * 2 + 1]).toBe(i + 0.5);
      expect(b.nextObservations[row * 2]).toBe(i + 1);
      expect(b.actions[row]).toBe(i % 3);
      expect(b.rewards[row]).toBe(-i);
      expect(b.terminated[row]).toBe(i === 3 ? 1 : 0);
    }
    expect([...seen].sort((a, c) => a - c)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('overwrites the oldest transitions once full and never grows past capacity', () => {
    const buf = new ReplayBuffer(4, 2);
    for (let i = 0; i < 10; i++) buf.push(transition(i));
    expect(buf.size).toBe(4);
    const b = buf.sample(4, createRng(2));
    const ids = Array.from({ length: 4 }, (_, r) => b.observations[r * 2] as number).sort((a, c) => a - c);
    expect(ids).toEqual([6, 7, 8, 9]);
  });

  it('refuses to sample more distinct transitions than it holds', () => {
    const buf = new ReplayBuffer(8, 2);
    buf.push(transition(0));
    expect(() => buf.sample(2, createRng(3))).toThrow(RangeError);
  });

  it('rejects observations of the wrong length', () => {
    const buf = new ReplayBuffer(8, 3);
    expect(() => buf.push(transition(0))).toThrow(/length 3/);
  });

  it('gives the same batches for the same seed and pushes', () => {
    const make = () => {
      const buf = new ReplayBuffer(100, 2);
      for (let i = 0; i < 60; i++) buf.push(transition(i));
      const rng = createRng(42).stream('replay');
      return [buf.sample(16, rng), buf.sample(16, rng)].map((b) => Array.from(b.observations));
    };
    expect(make()).toEqual(make());
  });
});

describe('sampleDistinct', () => {
  it('returns k distinct indices in range', () => {
    const rng = createRng(5);
    for (let trial = 0; trial < 200; trial++) {
      const xs = sampleDistinct(20, 7, rng);
      expect(new Set(xs).size).toBe(7);
      for (const x of xs) expect(x >= 0 && x < 20).toBe(true);
    }
  });

  it('picks every index about equally often (uniform inclusion probability k/n)', () => {
    const rng = createRng(6);
    const n = 10;
    const k = 3;
    const trials = 20_000;
    const counts = new Array<number>(n).fill(0);
    for (let t = 0; t < trials; t++) for (const x of sampleDistinct(n, k, rng)) counts[x] = (counts[x] as number) + 1;
    // Expected 6000 each; binomial sd = sqrt(20000 * 0.3 * 0.7) ≈ 65, so ±300 is ~4.6 sd.
    for (const c of counts) expect(Math.abs(c - (trials * k) / n)).toBeLessThan(300);
  });
});
