/**
 * @autofarm/farm/image: the real image-processing workload (sharp) and its calibration.
 * A subpath of its own so importing the farm loops never loads sharp's native module.
 */
export {
  processImage,
  STAGES,
  THUMBNAIL_SIDE,
  JPEG_QUALITY,
  HISTOGRAM_BINS,
  type Stage,
  type ImageResult,
  type ChannelMetadata,
} from './pipeline.js';
export { generateSyntheticImage, syntheticImage, CHANNELS } from './synthetic.js';
export { fitQuadratic, quadraticTime, rSquared, type FitPoint, type QuadraticFit } from './fit.js';
export {
  runCalibration,
  summariseSize,
  pythonExponent,
  DEFAULT_SIZES,
  DEFAULT_TRIALS,
  RESULTS_FILE,
  PLOT_FILE,
  PROCESS_WARMUPS,
  type CalibrationOptions,
  type CalibrationOutcome,
  type CalibrationProgress,
  type CalibrationResults,
  type SizeResult,
  type Measure,
} from './calibrate.js';
