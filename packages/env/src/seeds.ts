/**
 * Episode seeds. Training episode i (0-based) uses base + i, as the original; evaluation uses
 * a disjoint held-out range, so no policy is evaluated on a workload it trained on (the
 * original evaluated on training seeds, reference §16.1 item 4). Every policy in a comparison gets the
 * SAME evaluation seeds (paired comparison, fixing §16.1 item 5).
 */
export const EVALUATION_SEED_OFFSET = 1_000_000;

export function trainingSeeds(base: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => base + i);
}

export function evaluationSeeds(base: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => base + EVALUATION_SEED_OFFSET + i);
}

/**
 * Seeds of the general agents' validation during training: randomised workloads drawn from
 * base + 2 000 000 + i, disjoint from the training seeds (base + i) and from the evaluation
 * seeds every comparison and the benchmark use (base + 1 000 000 + i).
 */
export const VALIDATION_SEED_OFFSET = 2_000_000;

export function validationSeeds(base: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => base + VALIDATION_SEED_OFFSET + i);
}
