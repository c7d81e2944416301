import { describe, expect, it } from 'vitest';
import { HISTOGRAM_BINS, processImage, STAGES, THUMBNAIL_SIDE } from './pipeline.js';
import { generateSyntheticImage } from './synthetic.js';

describe('processImage', () => {
  it('returns a positive time for every stage and a total that covers them', async () => {
    const r = await processImage(256, 5);
    for (const s of STAGES) expect(r.stages[s]).toBeGreaterThan(0);
    const sum = STAGES.reduce((acc, s) => acc + r.stages[s], 0);
    expect(r.totalSeconds).toBeGreaterThanOrEqual(sum);
    expect(r.totalSeconds - sum).toBeLessThan(0.05); // only glue between the stages
  });

  it('does the work of all four stages on the seeded image', async () => {
    const size = 192;
    const r = await processImage(size, 9);
    expect(r.output.thumbnailBytes).toBe(THUMBNAIL_SIDE * THUMBNAIL_SIDE * 3);
    expect(r.output.greyBytes).toBe(size * size * 3);
    expect(r.output.jpegBytes).toBeGreaterThan(100);
    expect(r.output.jpegBytes).toBeLessThan(size * size * 3);

    // Metadata matches the input pixels computed here independently.
    const pixels = generateSyntheticImage(size, 9);
    const { metadata } = r.output;
    expect(metadata).toMatchObject({ width: size, height: size, channels: 3 });
    metadata.channelStats.forEach((ch, c) => {
      let sum = 0;
      let min = 255;
      let max = 0;
      const hist = new Array<number>(HISTOGRAM_BINS).fill(0);
      for (let i = c; i < pixels.length; i += 3) {
        const v = pixels[i]!;
        sum += v;
        min = Math.min(min, v);
        max = Math.max(max, v);
        hist[v >> 4]! += 1;
      }
      expect(ch.mean).toBeCloseTo(sum / (size * size), 6);
      expect(ch.min).toBe(min);
      expect(ch.max).toBe(max);
      expect(ch.histogram).toEqual(hist);
    });
  });

  it('takes longer for a larger image', async () => {
    // 4x the pixels; medians of 3 so one descheduling on a shared machine does not decide it.
    const median = async (size: number) => {
      const xs: number[] = [];
      for (let i = 0; i < 3; i++) xs.push((await processImage(size, 1)).totalSeconds);
      return xs.sort((a, b) => a - b)[1]!;
    };
    const small = await median(256);
    const large = await median(1024);
    expect(large).toBeGreaterThan(2 * small);
  });
});
