/**
 * The seam between the DQN and TensorFlow.js: a Q-network that maps a batch of (normalised)
 * observations to one value per action, trains on a batch, and moves its weights in and out as
 * plain Float32Arrays. dqn.ts only talks to this interface, so the algorithm reads as arithmetic
 * on arrays and another tensor library could stand in.
 *
 * Invariants: every call disposes the tensors it creates (tf.tidy), so tf.memory().numTensors is
 * flat over training (checked in q-function.test.ts); predict/trainOnBatch never keep references to
 * the arrays they are given; the same seed gives the same initial weights on every backend.
 */
import { tf } from './tf-backend.js';
import { loadLayersModel, saveLayersModel } from './layers-io.js';

export interface QNetworkSpec {
  inputSize: number;
  /** Hidden layer widths, ReLU after each (default 128, 64 as the original). */
  hiddenLayers: readonly number[];
  nActions: number;
  /** Adam learning rate (betas 0.9/0.999, epsilon 1e-8 as PyTorch). */
  learningRate: number;
  /** Global L2 gradient-norm clip; 0 disables. */
  maxGradNorm: number;
}

export interface QFunction {
  readonly spec: QNetworkSpec;
  /** Q-values of `batch` rows (row-major Float32Array of batch*inputSize) -> batch*nActions values. */
  predict(states: Float32Array, batch: number): Float32Array;
  /**
   * One Adam step on mean Huber(Q(s_i, a_i), y_i) (delta 1) with global-norm gradient clipping.
   * Returns the loss before the step.
   */
  trainOnBatch(states: Float32Array, actions: Int32Array, targets: Float32Array): number;
  /** Weights in layer order (kernel, bias per dense layer). */
  getWeights(): Float32Array[];
  setWeights(weights: readonly Float32Array[]): void;
  /** A new network of the same shape holding a copy of these weights (fresh optimizer). */
  clone(): QFunction;
  /** Standard tfjs layers format: dir/model.json + dir/weights.bin. */
  save(dir: string): Promise<void>;
  dispose(): void;
}

/**
 * Same initialisation as PyTorch's nn.Linear (reference §10.1): kernel and bias uniform in
 * ±1/sqrt(fan_in). varianceScaling(scale 1/3, fanIn, uniform) has limit sqrt(3 * scale / fan_in)
 * = 1/sqrt(fan_in). Each initializer gets its own seed, drawn by the caller from a core stream.
 */
function buildModel(spec: QNetworkSpec, seeds: readonly number[]): tf.Sequential {
  const model = tf.sequential();
  const sizes = [...spec.hiddenLayers, spec.nActions];
  let fanIn = spec.inputSize;
  sizes.forEach((units, i) => {
    const limit = 1 / Math.sqrt(fanIn);
    model.add(
      tf.layers.dense({
        units,
        inputShape: i === 0 ? [spec.inputSize] : undefined,
        activation: i < sizes.length - 1 ? 'relu' : 'linear',
        kernelInitializer: tf.initializers.varianceScaling({ scale: 1 / 3, mode: 'fanIn', distribution: 'uniform', seed: seeds[2 * i] }),
        biasInitializer: tf.initializers.randomUniform({ minval: -limit, maxval: limit, seed: seeds[2 * i + 1] }),
      }),
    );
    fanIn = units;
  });
  return model;
}

export class TfjsQFunction implements QFunction {
  private readonly optimizer: tf.Optimizer;

  private constructor(
    readonly spec: QNetworkSpec,
    private readonly model: tf.LayersModel,
  ) {
    this.optimizer = tf.train.adam(spec.learningRate, 0.9, 0.999, 1e-8);
  }

  /** `seeds` needs 2 entries per layer (kernel, bias): see `initSeedCount`. */
  static create(spec: QNetworkSpec, seeds: readonly number[]): TfjsQFunction {
    if (seeds.length < initSeedCount(spec)) throw new RangeError(`TfjsQFunction: need ${initSeedCount(spec)} seeds, got ${seeds.length}`);
    return new TfjsQFunction(spec, buildModel(spec, seeds));
  }

  /** Load a network saved by `save`; `spec` supplies the training settings the file does not hold. */
  static async load(dir: string, training: Pick<QNetworkSpec, 'learningRate' | 'maxGradNorm'>): Promise<TfjsQFunction> {
    const model = await loadLayersModel(dir);
    const input = model.inputs[0]?.shape[1];
    const output = model.outputs[0]?.shape[1];
    const hidden = model.layers.slice(0, -1).map((l) => (l.getConfig() as { units: number }).units);
    return new TfjsQFunction({ inputSize: input ?? 0, hiddenLayers: hidden, nActions: output ?? 0, ...training }, model);
  }

  predict(states: Float32Array, batch: number): Float32Array {
    return tf.tidy(() => {
      const x = tf.tensor2d(states, [batch, this.spec.inputSize]);
      return (this.model.predict(x) as tf.Tensor).dataSync() as Float32Array;
    });
  }

  trainOnBatch(states: Float32Array, actions: Int32Array, targets: Float32Array): number {
    const batch = actions.length;
    const loss = tf.tidy(() => {
      const x = tf.tensor2d(states, [batch, this.spec.inputSize]);
      const mask = tf.oneHot(tf.tensor1d(actions, 'int32'), this.spec.nActions);
      const y = tf.tensor1d(targets);
      const vars = this.model.trainableWeights.map((w) => w.read() as tf.Variable);
      const { value, grads } = tf.variableGrads(() => {
        const q = this.model.apply(x, { training: true }) as tf.Tensor2D;
        const qa = tf.sum(tf.mul(q, mask), 1);
        return tf.losses.huberLoss(y, qa, undefined, 1.0, tf.Reduction.MEAN) as tf.Scalar;
      }, vars);
      this.optimizer.applyGradients(clipByGlobalNorm(grads, this.spec.maxGradNorm));
      return value;
    });
    const out = loss.dataSync()[0] as number;
    loss.dispose();
    return out;
  }

  getWeights(): Float32Array[] {
    return this.model
      .getWeights()
      .map((w) => w.dataSync() as Float32Array)
      .map((a) => a.slice());
  }

  setWeights(weights: readonly Float32Array[]): void {
    const current = this.model.getWeights();
    if (weights.length !== current.length) throw new RangeError(`setWeights: expected ${current.length} arrays, got ${weights.length}`);
    tf.tidy(() => this.model.setWeights(weights.map((w, i) => tf.tensor(w, (current[i] as tf.Tensor).shape))));
  }

  clone(): TfjsQFunction {
    const copy = TfjsQFunction.create(this.spec, new Array<number>(initSeedCount(this.spec)).fill(0));
    copy.setWeights(this.getWeights());
    return copy;
  }

  async save(dir: string): Promise<void> {
    await saveLayersModel(this.model, dir);
  }

  dispose(): void {
    this.model.dispose();
    this.optimizer.dispose();
  }
}

export function initSeedCount(spec: Pick<QNetworkSpec, 'hiddenLayers'>): number {
  return 2 * (spec.hiddenLayers.length + 1);
}

/** Scale all gradients by min(1, maxNorm / ||g||_2) over the concatenation of every gradient (PyTorch's clip_grad_norm_). */
function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): tf.NamedTensorMap {
  if (!(maxNorm > 0)) return grads;
  const names = Object.keys(grads);
  const squares = names.map((n) => tf.sum(tf.square(grads[n] as tf.Tensor)));
  const norm = tf.sqrt(tf.addN(squares));
  const scale = tf.minimum(1, tf.div(maxNorm, tf.add(norm, 1e-6)));
  const out: tf.NamedTensorMap = {};
  for (const n of names) out[n] = tf.mul(grads[n] as tf.Tensor, scale);
  return out;
}
