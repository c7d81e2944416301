import { describe, expect, it } from 'vitest';
import { clampWorkers } from './backend.js';

describe('clampWorkers', () => {
  it('rounds the request and keeps it within [min_workers, max_workers]', () => {
    const scaling = { min_workers: 1, max_workers: 32, initial_workers: 4 } as Parameters<typeof clampWorkers>[0];
    expect(clampWorkers(scaling, 0)).toBe(1);
    expect(clampWorkers(scaling, 99)).toBe(32);
    expect(clampWorkers(scaling, 4.4)).toBe(4);
    expect(clampWorkers(scaling, 4.6)).toBe(5);
    expect(clampWorkers(scaling, 7)).toBe(7);
  });
});
