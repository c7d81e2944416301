/**
 * A PNG's vital signs, for tests and CLI smoke tests: is it a PNG, how big, is anything drawn.
 * Decodes with @napi-rs/canvas (already loaded by the plots), no other image library.
 */
import { createCanvas, Image } from '@napi-rs/canvas';

export interface PngInfo {
  width: number;
  height: number;
  /** Distinct colours among up to ~10 000 pixels sampled on a grid; 1 means a blank image. */
  distinctColours: number;
  /** Share of sampled pixels that are not pure white. */
  inkFraction: number;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Throws if `png` does not start with the PNG signature and an IHDR chunk. */
export function inspectPng(png: Buffer): PngInfo {
  if (png.length < 24 || !png.subarray(0, 8).equals(SIGNATURE) || png.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error('not a PNG (bad signature or missing IHDR)');
  }
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const image = new Image();
  image.src = png;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const { data } = ctx.getImageData(0, 0, width, height);
  const stride = Math.max(1, Math.floor(Math.sqrt((width * height) / 10_000)));
  const colours = new Set<number>();
  let samples = 0;
  let ink = 0;
  for (let y = 0; y < height; y += stride) {
    for (let x = 0; x < width; x += stride) {
      const i = (y * width + x) * 4;
      const rgba = ((data[i] as number) << 24) | ((data[i + 1] as number) << 16) | ((data[i + 2] as number) << 8) | (data[i + 3] as number);
      colours.add(rgba >>> 0);
      samples++;
      if (rgba >>> 0 !== 0xffffffff) ink++;
    }
  }
  return { width, height, distinctColours: colours.size, inkFraction: ink / samples };
}
