import { describe, expect, it } from 'vitest';
import { createRng } from '@autofarm/core';
import { Kernel } from './kernel.js';

describe('Kernel', () => {
  it('runs events in time order, then priority, then scheduling order', () => {
    const k = new Kernel();
    const seen: string[] = [];
    k.at(2, () => seen.push('t2'));
    k.at(1, () => seen.push('t1-late-seq'));
    k.at(1, () => seen.push('t1-prio-0'), 0);
    k.at(1, () => seen.push('t1-prio--1'), -1);
    k.runUntil(5);
    expect(seen).toEqual(['t1-prio--1', 't1-late-seq', 't1-prio-0', 't2']);
    expect(k.now).toBe(5);
  });

  it('stops at the horizon and keeps later events for the next run', () => {
    const k = new Kernel();
    const seen: number[] = [];
    for (const t of [3, 1, 4, 1.5, 9]) k.at(t, () => seen.push(k.now));
    k.runUntil(4);
    expect(seen).toEqual([1, 1.5, 3, 4]);
    expect(k.pending).toBe(1);
    k.runUntil(10);
    expect(seen).toEqual([1, 1.5, 3, 4, 9]);
  });

  it('lets callbacks schedule further events relative to now', () => {
    const k = new Kernel();
    const seen: number[] = [];
    const tick = () => {
      seen.push(k.now);
      if (k.now < 3) k.schedule(1, tick);
    };
    k.schedule(0.5, tick);
    k.runUntil(100);
    expect(seen).toEqual([0.5, 1.5, 2.5, 3.5]);
  });

  it('pops many random events in sorted order', () => {
    const k = new Kernel();
    const rng = createRng(7);
    const out: number[] = [];
    for (let i = 0; i < 2000; i++) k.at(rng.float() * 100, () => out.push(k.now));
    k.runUntil(100);
    expect(out).toHaveLength(2000);
    expect(out).toEqual(out.slice().sort((a, b) => a - b));
  });

  it('refuses to schedule in the past', () => {
    const k = new Kernel();
    k.runUntil(5);
    expect(() => k.at(4, () => undefined)).toThrow(RangeError);
  });
});
