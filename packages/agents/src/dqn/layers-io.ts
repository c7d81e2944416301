/**
 * The standard TensorFlow.js layers-model format on disk without tfjs-node: `model.json`
 * (topology + weights manifest) and one `weights.bin`, exactly what tfjs-node's `file://` handler
 * writes, so any tfjs program (`tf.loadLayersModel('file://…/model.json')` in Node, or over HTTP
 * in a browser) can load the network.
 *
 * Every unreadable or inconsistent file becomes a ModelFileError that names the file.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelFileError } from '@autofarm/core';
import { tf } from './tf-backend.js';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/** Bytes per element of the dtypes a layers model stores (float32 here; int32 for completeness). */
const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

export async function saveLayersModel(model: tf.LayersModel, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const modelJson = {
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
      };
      writeFileSync(join(dir, WEIGHTS_BIN), new Uint8Array(weightData));
      writeFileSync(join(dir, MODEL_JSON), `${JSON.stringify(modelJson)}\n`);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
}

function readFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new ModelFileError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
}

export async function loadLayersModel(dir: string): Promise<tf.LayersModel> {
  const jsonPath = join(dir, MODEL_JSON);
  let parsed: tf.io.ModelJSON;
  try {
    parsed = JSON.parse(readFile(jsonPath).toString('utf8')) as tf.io.ModelJSON;
  } catch (error) {
    if (error instanceof ModelFileError) throw error;
    throw new ModelFileError(`${jsonPath} is not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const manifest = parsed?.weightsManifest;
  if (typeof parsed !== 'object' || parsed === null || typeof parsed.modelTopology !== 'object' || !Array.isArray(manifest)) {
    throw new ModelFileError(`${jsonPath} is not a TensorFlow.js layers model (expected "modelTopology" and "weightsManifest")`);
  }
  const weightSpecs = manifest.flatMap((group) => group.weights ?? []);
  const chunks = manifest.flatMap((group) => (group.paths ?? []).map((p) => readFile(join(dir, p))));
  const data = Buffer.concat(chunks);
  const expected = weightSpecs.reduce((sum, w) => sum + w.shape.reduce((a, b) => a * b, 1) * (DTYPE_BYTES[w.dtype] ?? 4), 0);
  const binNames = manifest.flatMap((g) => g.paths ?? []).map((p) => join(dir, p));
  if (data.byteLength !== expected) {
    throw new ModelFileError(
      `${binNames.join(', ') || join(dir, WEIGHTS_BIN)} holds ${data.byteLength} bytes, ` +
        `${jsonPath} describes ${expected}: the weights are truncated or do not belong to ` +
        `this model`,
    );
  }
  const weightData = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  try {
    return await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: parsed.modelTopology, weightSpecs, weightData }));
  } catch (error) {
    throw new ModelFileError(`${jsonPath} could not be loaded as a layers model: ${(error as Error).message}`, { cause: error });
  }
}
