import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { CHANNELS, generateSyntheticImage, syntheticImage } from './synthetic.js';

const digest = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function jpegBytesPerPixel(pixels: Buffer, size: number): Promise<number> {
  const jpeg = await sharp(pixels, { raw: { width: size, height: size, channels: CHANNELS } })
    .jpeg({ quality: 80 })
    .toBuffer();
  return jpeg.length / (size * size);
}

describe('synthetic image', () => {
  it('gives the same bytes for the same seed and different bytes for another seed', () => {
    const a = generateSyntheticImage(300, 42);
    const b = generateSyntheticImage(300, 42);
    const c = generateSyntheticImage(300, 43);
    expect(a).toHaveLength(300 * 300 * CHANNELS);
    expect(digest(a)).toBe(digest(b));
    expect(digest(a)).not.toBe(digest(c));
  });

  it('compresses between a flat field and uniform noise, like a photograph', async () => {
    const size = 512;
    const image = await jpegBytesPerPixel(generateSyntheticImage(size, 7), size);
    const flat = await jpegBytesPerPixel(Buffer.alloc(size * size * CHANNELS, 128), size);
    const noise = Buffer.alloc(size * size * CHANNELS);
    for (let i = 0; i < noise.length; i++) noise[i] = Math.imul(i + 1, 2654435761) >>> 24; // fixed hash, not random
    const noisy = await jpegBytesPerPixel(noise, size);
    expect(image).toBeGreaterThan(5 * flat);
    expect(image).toBeLessThan(noisy / 2);
  });

  it('spans most of the value range with photo-like contrast', async () => {
    const size = 256;
    const stats = await sharp(generateSyntheticImage(size, 3), { raw: { width: size, height: size, channels: CHANNELS } }).stats();
    for (const ch of stats.channels) {
      expect(ch.stdev).toBeGreaterThan(15);
      expect(ch.stdev).toBeLessThan(70);
      expect(ch.max - ch.min).toBeGreaterThan(150);
    }
  });

  it('generates once per (size, seed) and then serves the cached pixels', () => {
    const first = syntheticImage(200, 11);
    const again = syntheticImage(200, 11);
    expect(first.generated).toBe(true);
    expect(again.generated).toBe(false);
    expect(again.pixels).toBe(first.pixels);
    expect(syntheticImage(200, 12).generated).toBe(true);
  });

  it('rejects a size that is not a positive integer', () => {
    expect(() => generateSyntheticImage(0, 1)).toThrow(RangeError);
    expect(() => generateSyntheticImage(10.5, 1)).toThrow(RangeError);
  });
});
