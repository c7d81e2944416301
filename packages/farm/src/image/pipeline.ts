/**
 * The real image-processing workload: the original's four stages (reference §14) on a seeded
 * synthetic image, done with sharp (libvips), each stage timed with a monotonic
 * high-resolution clock (`process.hrtime.bigint`).
 *
 * What is timed: from handing the raw input pixels to sharp until the stage's output is back
 * in JavaScript, for each stage; `totalSeconds` spans all four stages (so it is the sum of the
 * stages plus a few microseconds of glue). Generating the synthetic input is NOT timed (it is
 * cached per (size, seed), see synthetic.ts); its cost is reported as `inputSeconds`.
 *
 * Stages (same work per pixel as the original, so the time is quadratic in the side):
 *  1. thumbnail   — resize to 128×128 with a Lanczos-3 kernel, raw pixels out.
 *  2. compression — quantise every value to a multiple of 32 (⌊x/32⌋·32, the original's step;
 *                   its standardise/de-standardise round trip is the identity and is dropped),
 *                   then encode as JPEG quality 80.
 *  3. metadata    — width, height, channels; per channel mean, std, min, max (libvips stats)
 *                   and a 16-bin histogram over [0, 256).
 *  4. conversion  — greyscale grey = 0.2989·R + 0.5870·G + 0.1140·B, three copies, 8-bit.
 *
 * sharp runs single-threaded with its operation cache off: concurrency 1 keeps timings
 * repeatable on a shared machine, and a cache hit would make trial 2 of the same image
 * artificially fast.
 */
import sharp, { type Sharp } from 'sharp';
import { CHANNELS, syntheticImage } from './synthetic.js';

export const STAGES = ['thumbnail', 'compression', 'metadata', 'conversion'] as const;
export type Stage = (typeof STAGES)[number];

export const THUMBNAIL_SIDE = 128;
export const JPEG_QUALITY = 80;
export const HISTOGRAM_BINS = 16;
/** ITU-R BT.601 luma weights, as the original. */
const GREY: [number, number, number] = [0.2989, 0.587, 0.114];

export interface ChannelMetadata {
  mean: number;
  std: number;
  min: number;
  max: number;
  /** 16 counts; bin k holds values 16k..16k+15. */
  histogram: number[];
}

export interface ImageResult {
  /** Seconds for the four stages together (monotonic clock). */
  totalSeconds: number;
  /** Seconds per stage. */
  stages: Record<Stage, number>;
  /** Seconds spent generating the input before the timed region (0 when it was cached). */
  inputSeconds: number;
  /** What the stages produced, so callers and tests can check the work was real. */
  output: {
    thumbnailBytes: number;
    jpegBytes: number;
    greyBytes: number;
    metadata: { width: number; height: number; channels: number; channelStats: ChannelMetadata[] };
  };
}

let configured = false;
/** Process-wide sharp settings; applied on first use, not at import (the package has no side effects). */
function configureSharp(): void {
  if (configured) return;
  sharp.concurrency(1);
  sharp.cache(false);
  configured = true;
}

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

function rawInput(pixels: Buffer, size: number): Sharp {
  return sharp(pixels, { raw: { width: size, height: size, channels: CHANNELS } });
}

async function thumbnail(pixels: Buffer, size: number): Promise<Buffer> {
  return rawInput(pixels, size).resize(THUMBNAIL_SIDE, THUMBNAIL_SIDE, { kernel: 'lanczos3', fit: 'fill' }).raw().toBuffer();
}

async function compression(pixels: Buffer, size: number): Promise<Buffer> {
  const quantised = Buffer.allocUnsafe(pixels.length);
  for (let i = 0; i < pixels.length; i++) quantised[i] = pixels[i]! & 0xe0; // ⌊x/32⌋·32
  return rawInput(quantised, size).jpeg({ quality: JPEG_QUALITY }).toBuffer();
}

async function metadata(pixels: Buffer, size: number): Promise<ImageResult['output']['metadata']> {
  const stats = await rawInput(pixels, size).stats();
  // One pass, channels unrolled: value >> 4 is the bin of 16 values (256 / 16 bins).
  const hist = new Uint32Array(CHANNELS * HISTOGRAM_BINS);
  for (let i = 0; i < pixels.length; i += CHANNELS) {
    hist[pixels[i]! >> 4]!++;
    hist[HISTOGRAM_BINS + (pixels[i + 1]! >> 4)]!++;
    hist[2 * HISTOGRAM_BINS + (pixels[i + 2]! >> 4)]!++;
  }
  const channelStats = stats.channels.slice(0, CHANNELS).map((s, c) => ({
    mean: s.mean,
    std: s.stdev,
    min: s.min,
    max: s.max,
    histogram: Array.from(hist.subarray(c * HISTOGRAM_BINS, (c + 1) * HISTOGRAM_BINS)),
  }));
  return { width: size, height: size, channels: CHANNELS, channelStats };
}

async function conversion(pixels: Buffer, size: number): Promise<Buffer> {
  return rawInput(pixels, size).recomb([GREY, GREY, GREY]).raw().toBuffer();
}

/**
 * Runs the four stages on the synthetic image of side `size` for `seed` and returns their
 * timings. This is what a worker in `image` work mode calls for each task.
 */
export async function processImage(size: number, seed: number): Promise<ImageResult> {
  configureSharp();
  const t0 = process.hrtime.bigint();
  const { pixels, generated } = syntheticImage(size, seed);
  const inputSeconds = generated ? seconds(t0) : 0;

  const start = process.hrtime.bigint();
  let t = start;
  const thumb = await thumbnail(pixels, size);
  const thumbSeconds = seconds(t);
  t = process.hrtime.bigint();
  const jpeg = await compression(pixels, size);
  const compressionSeconds = seconds(t);
  t = process.hrtime.bigint();
  const meta = await metadata(pixels, size);
  const metadataSeconds = seconds(t);
  t = process.hrtime.bigint();
  const grey = await conversion(pixels, size);
  const conversionSeconds = seconds(t);
  const totalSeconds = seconds(start);

  return {
    totalSeconds,
    stages: { thumbnail: thumbSeconds, compression: compressionSeconds, metadata: metadataSeconds, conversion: conversionSeconds },
    inputSeconds,
    output: { thumbnailBytes: thumb.length, jpegBytes: jpeg.length, greyBytes: grey.length, metadata: meta },
  };
}
