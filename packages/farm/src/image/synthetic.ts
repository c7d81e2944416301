/**
 * Seeded synthetic input for the image pipeline: a square RGB image (8-bit, 3 channels, row
 * major) that compresses like a photograph, not like pure noise nor like a flat field.
 * Measured at 1024 px with sharp's JPEG q80: this image 0.14 B/px (about 22:1), uniform noise
 * 0.50 B/px, a flat grey field 0.006 B/px; per-channel std ≈ 34 levels (synthetic.test.ts
 * checks the bounds).
 *
 * Content = smooth per-channel gradients (separable sums of sines, computed per row and per
 * column, so a pixel costs two additions) + textured 32 px blocks (about one block in three
 * carries seeded noise of a seeded amplitude) + faint sensor noise everywhere.
 *
 * Invariant: the same (size, seed) always gives the same bytes; every random number comes
 * from `createRng(seed)`'s streams. Generation is NOT part of any timed stage (the original
 * generated a fresh uniform-noise image inside every timed stage, which timed the random
 * number generator as much as the pipeline, reference §14); a small cache keeps the last few images so
 * repeated trials of one size do not pay for generation again.
 */
import { createRng, type Rng } from '@autofarm/core';

/** 3 channels, 8 bits each (the original's `(size, size, 3)` uint8 arrays). */
export const CHANNELS = 3;

/** Side of a texture block, pixels (matches JPEG's 8 px DCT grid: 32 = 4 DCT blocks). */
const BLOCK = 32;
/** Noise tile length; a power of two so indexing is a mask. 64 Ki values = 64 KiB. */
const TILE_BITS = 16;
const TILE_MASK = (1 << TILE_BITS) - 1;

/** Smooth term of one axis: 128/2 + two sines per channel, amplitudes summing to <= 60. */
function axisTerms(rng: Rng, size: number): Int16Array[] {
  const terms: Int16Array[] = [];
  for (let c = 0; c < CHANNELS; c++) {
    const out = new Int16Array(size); // whole levels: integer arithmetic in the pixel loop
    const f1 = ((1 + rng.float() * 3) * (2 * Math.PI)) / size; // 1..4 cycles across the image
    const f2 = ((4 + rng.float() * 8) * (2 * Math.PI)) / size; // 4..12 cycles
    const p1 = rng.float() * 2 * Math.PI;
    const p2 = rng.float() * 2 * Math.PI;
    const a1 = 20 + rng.float() * 25;
    const a2 = 5 + rng.float() * 10;
    for (let i = 0; i < size; i++) out[i] = Math.round(64 + a1 * Math.sin(f1 * i + p1) + a2 * Math.sin(f2 * i + p2));
    terms.push(out);
  }
  return terms;
}

function clampByte(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** Generates the image; cost is linear in pixels (measured ≈ 0.2 s at 4096 px here, uncached). */
export function generateSyntheticImage(size: number, seed: number): Buffer {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`image size must be a positive integer, got ${size}`);
  const rng = createRng(seed).stream('synthetic-image');
  const cols = axisTerms(rng.stream('columns'), size);
  const rows = axisTerms(rng.stream('rows'), size);

  // Noise tile: values in -64..63; the block amplitude (0..16, /16) scales them.
  const tileRng = rng.stream('noise');
  const tile = new Int8Array(1 << TILE_BITS);
  for (let i = 0; i < tile.length; i++) tile[i] = tileRng.int(-64, 63);

  // Per block: amplitude 0 (smooth) or 4..16 (textured), and an offset into the tile so that
  // neighbouring blocks do not repeat the same noise.
  const blocks = Math.ceil(size / BLOCK);
  const blockRng = rng.stream('blocks');
  const amp = new Uint8Array(blocks * blocks);
  const offset = new Uint32Array(blocks * blocks);
  for (let i = 0; i < amp.length; i++) {
    amp[i] = blockRng.float() < 0.35 ? blockRng.int(4, 16) : 0;
    offset[i] = blockRng.int(0, TILE_MASK);
  }

  // Inner loop kept to table look-ups and additions (4096 px: 50 M bytes in ≈ 0.2 s).
  const [c0, c1, c2] = cols as [Int16Array, Int16Array, Int16Array];
  const blockOf = new Int32Array(size);
  for (let x = 0; x < size; x++) blockOf[x] = Math.floor(x / BLOCK);
  const out = Buffer.allocUnsafe(size * size * CHANNELS);
  let p = 0;
  for (let y = 0; y < size; y++) {
    const by = Math.floor(y / BLOCK) * blocks;
    const r0 = rows[0]![y]!;
    const r1 = rows[1]![y]!;
    const r2 = rows[2]![y]!;
    const rowOffset = y * 131; // odd stride: consecutive rows do not repeat the tile
    for (let x = 0; x < size; x++) {
      const b = by + blockOf[x]!;
      const a = amp[b]!;
      const o = offset[b]! + rowOffset + x * 3;
      // Faint sensor noise (n >> 5: -2..1) everywhere, strong texture (±64·a/16) in textured blocks.
      let n = tile[o & TILE_MASK]!;
      out[p++] = clampByte(c0[x]! + r0 + (n >> 5) + ((n * a) >> 4));
      n = tile[(o + 7919) & TILE_MASK]!;
      out[p++] = clampByte(c1[x]! + r1 + (n >> 5) + ((n * a) >> 4));
      n = tile[(o + 15838) & TILE_MASK]!;
      out[p++] = clampByte(c2[x]! + r2 + (n >> 5) + ((n * a) >> 4));
    }
  }
  return out;
}

/** The last few generated images, most recent last. 3 × 4096² × 3 B ≈ 150 MB at worst. */
const CACHE_ENTRIES = 3;
const cache = new Map<string, Buffer>();

/**
 * The synthetic image for (size, seed), generated once and kept in a small LRU cache.
 * `generated` says whether this call paid for generation (for callers that account for it).
 */
export function syntheticImage(size: number, seed: number): { pixels: Buffer; generated: boolean } {
  const key = `${size}:${seed}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return { pixels: hit, generated: false };
  }
  const pixels = generateSyntheticImage(size, seed);
  cache.set(key, pixels);
  while (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
  return { pixels, generated: true };
}
