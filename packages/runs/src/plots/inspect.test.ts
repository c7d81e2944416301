import { createCanvas } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import { inspectPng } from './inspect.js';

describe('inspectPng', () => {
  it('reads the size and tells a blank image from a drawn one', () => {
    const canvas = createCanvas(120, 80);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, 120, 80);
    const blank = inspectPng(canvas.toBuffer('image/png'));
    expect(blank).toMatchObject({ width: 120, height: 80, distinctColours: 1, inkFraction: 0 });
    ctx.fillStyle = '#1f77b4';
    ctx.fillRect(0, 0, 60, 80);
    const drawn = inspectPng(canvas.toBuffer('image/png'));
    expect(drawn.distinctColours).toBe(2);
    expect(drawn.inkFraction).toBeCloseTo(0.5, 1);
  });

  it('rejects bytes that are not a PNG', () => {
    expect(() => inspectPng(Buffer.from('GIF89a but longer than twenty-four bytes'))).toThrow(/not a PNG/);
  });
});
